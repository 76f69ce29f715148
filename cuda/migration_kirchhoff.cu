// Kirchhoff migration on the GPU. Per execute:
//   1. gather: (n_samples, n_traces) -> trace-major rows (tiled transpose),
//      zero-padded to the rho filter's FFT length;
//   2. rho filter: batched cuFFT R2C, multiply by (i w)^(1/2), C2R;
//   3. oversample: windowed sinc (the CPU's function) into a pitched buffer
//      bound to a 2-D texture with linear filtering and zero borders;
//   4. sum: one thread per output pixel; a warp holds 32 neighbouring pixels of
//      one depth row, so each table entry (float2: sample position, weight) is
//      one broadcast load and each contribution one texture fetch and one FMA.
//      No double precision and no branches inside the loop: traces outside the
//      B-scan and times outside the trace read zero from the texture border.
//   With anti-aliasing, step 3 is followed by the double integration of each
//   trace and step 4 reads steep contributions through triangle filters
//   (kirchhoff_sum_antialias; detail::triangle_taps).
//   GPRPROC_CUDA_KIRCHHOFF_READS=global (an experiment, read when a plan is
//   made; not with anti-aliasing): step 4 reads a sample-major copy of the
//   oversampled traces from global memory instead of the texture, so a warp's
//   32 pixels read 32 consecutive floats per tap, and interpolates in full
//   float precision (the texture's weight has 8 fractional bits). Not yet
//   measured against the texture: gprproc-bench runs both.
// Steps 1-4 run per tile of image columns (setup.tile_traces), on the tile's
// traces plus a halo of half_width traces each side, so the buffers hold at
// most tile + 2 half_width traces (docs/MIGRATION.md, "Tiled execution").
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "launch_size.hpp"
#include "fft_plan.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "migration_cuda.hpp"

namespace gprproc::cuda_backend {
namespace {

constexpr int kTile = 32;
constexpr int kSumBlockX = 32;
constexpr int kSumBlockY = 8;

// in (n_samples, n_traces) row-major, rows in_stride apart -> out (n_traces, row_length), zeros past n_samples.
__global__ void gather_traces(const float* __restrict__ in, size_t in_stride, int n_samples, int n_traces,
                              int row_length, float* __restrict__ out) {
  __shared__ float tile[kTile][kTile + 1];
  const int i0 = blockIdx.y * kTile, j0 = blockIdx.x * kTile;
  for (int r = threadIdx.y; r < kTile; r += blockDim.y) {
    const int i = i0 + r, j = j0 + threadIdx.x;
    tile[r][threadIdx.x] = (i < n_samples && j < n_traces) ? in[static_cast<size_t>(i) * in_stride + j] : 0.0f;
  }
  __syncthreads();
  for (int r = threadIdx.y; r < kTile; r += blockDim.y) {
    const int j = j0 + r, i = i0 + threadIdx.x;
    if (j < n_traces && i < row_length) out[static_cast<size_t>(j) * row_length + i] = tile[threadIdx.x][r];
  }
}

__global__ void apply_half_derivative(cufftComplex* spectrum, int n_bins, int n_traces, int fft_length, double dt) {
  const size_t idx = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (idx >= static_cast<size_t>(n_bins) * n_traces) return;
  const int k = static_cast<int>(idx % n_bins);
  const auto f = detail::half_derivative_factor(k, fft_length, dt);
  const float scale = 1.0f / static_cast<float>(fft_length);  // cuFFT's inverse is unnormalised
  const cufftComplex v = spectrum[idx];
  spectrum[idx] = make_float2((v.x * f.re - v.y * f.im) * scale, (v.x * f.im + v.y * f.re) * scale);
}

// Grid (n_os / 256, n_traces): a block covers 256 outputs of one trace. The
// oversampling x 2R tap weights (detail::oversampling_weight, as the CPU) are
// made once per block in shared memory, so each output is 2R loads and FMAs:
// evaluating the windowed sinc per output (36 trigonometric calls and 12
// divisions) made this step, not the sum, most of a field-size execute.
constexpr int kOversampleBlock = 256;
constexpr int kMaxOversampling = 16;  // KirchhoffOptions::oversampling's limit
constexpr int kSincTaps = 2 * detail::sinc_half_width;

__global__ void __launch_bounds__(kOversampleBlock)
    oversample_traces(const float* __restrict__ traces, int row_length, int n_samples, int n_traces, int oversampling,
                      float* __restrict__ out, size_t pitch) {
  __shared__ float weights[kMaxOversampling * kSincTaps];
  for (int w = threadIdx.x; w < oversampling * kSincTaps; w += blockDim.x)
    weights[w] = detail::oversampling_weight(w / kSincTaps, oversampling, w % kSincTaps);
  __syncthreads();
  const int q = blockIdx.x * blockDim.x + threadIdx.x;
  const int j = blockIdx.y;
  const int n_os = n_samples * oversampling;
  if (q >= n_os || j >= n_traces) return;
  const float* src = traces + static_cast<size_t>(j) * row_length;
  if (oversampling == 1) {
    out[static_cast<size_t>(j) * pitch + q] = src[q];
    return;
  }
  const int base = q / oversampling, phase = q - base * oversampling;
  const float* w = weights + phase * kSincTaps;
  float sum = 0.0f;
#pragma unroll
  for (int tap = 0; tap < kSincTaps; ++tap) {
    const int i = base - detail::sinc_half_width + 1 + tap;
    if (i >= 0 && i < n_samples) sum += __ldg(src + i) * w[tap];
  }
  out[static_cast<size_t>(j) * pitch + q] = sum;
}

__global__ void __launch_bounds__(kSumBlockX* kSumBlockY)
    kirchhoff_sum(cudaTextureObject_t traces, const float2* __restrict__ table, const int* __restrict__ row_half_width,
                  int half_width, int n_z, int first, int n_x, float* __restrict__ out, size_t out_stride) {
  // Pixel p of the tile (n_x columns) sits on buffer trace first + p; out
  // points at the tile's first column.
  const int p = blockIdx.x * kSumBlockX + threadIdx.x;
  const int row = blockIdx.y * kSumBlockY + threadIdx.y;
  if (row >= n_z) return;  // uniform across a warp: a warp is one row
  const float2* entries = table + static_cast<size_t>(row) * (2 * half_width + 1) + half_width;
  const int rk = __ldg(row_half_width + row);
  const float y = static_cast<float>(first + p) + 0.5f;  // texel centre of the pixel's trace (+ k below)
  float acc0 = 0.0f, acc1 = 0.0f;
  int k = -rk;
  for (; k < rk; k += 2) {
    const float2 e0 = __ldg(entries + k);
    const float2 e1 = __ldg(entries + k + 1);
    acc0 = fmaf(e0.y, tex2D<float>(traces, e0.x + 0.5f, y + static_cast<float>(k)), acc0);
    acc1 = fmaf(e1.y, tex2D<float>(traces, e1.x + 0.5f, y + static_cast<float>(k + 1)), acc1);
  }
  if (k == rk) {
    const float2 e = __ldg(entries + k);
    acc0 = fmaf(e.y, tex2D<float>(traces, e.x + 0.5f, y + static_cast<float>(k)), acc0);
  }
  if (p < n_x) out[static_cast<size_t>(row) * out_stride + p] = acc0 + acc1;
}

// Zero rows kept above and below the sample-major copy
// (detail::linear_sample_guarded reads them where the texture reads its border).
constexpr int kGuardRows = detail::linear_guard_samples;

// kirchhoff_sum reading `samples` (sample-major: row q holds oversampled
// sample q of every buffer trace, `width` floats apart; it points at sample 0
// of buffer trace 0, with kGuardRows zero rows before and after and at least
// half_width zero columns on each side): the 32 pixels of a warp read 32
// consecutive floats per tap, and the linear interpolation is done in float.
__global__ void __launch_bounds__(kSumBlockX* kSumBlockY)
    kirchhoff_sum_global(const float* __restrict__ samples, size_t width, int n_os, const float2* __restrict__ table,
                         const int* __restrict__ row_half_width, int half_width, int n_z, int first, int n_x,
                         float* __restrict__ out, size_t out_stride) {
  const int p = blockIdx.x * kSumBlockX + threadIdx.x;
  const int row = blockIdx.y * kSumBlockY + threadIdx.y;
  if (row >= n_z) return;  // uniform across a warp: a warp is one row
  const float2* entries = table + static_cast<size_t>(row) * (2 * half_width + 1) + half_width;
  const int rk = __ldg(row_half_width + row);
  const float* column = samples + (first + p);
  const long long stride = static_cast<long long>(width);
  float acc0 = 0.0f, acc1 = 0.0f;
  for (int k = -rk; k <= rk; ++k) {
    const float2 e = __ldg(entries + k);
    const float value = detail::linear_sample_guarded(column + k, n_os, stride, e.x);
    if (k & 1) acc1 = fmaf(e.y, value, acc1);
    else acc0 = fmaf(e.y, value, acc0);
  }
  if (p < n_x) out[static_cast<size_t>(row) * out_stride + p] = acc0 + acc1;
}

bool global_reads_wanted() {
  const char* value = std::getenv("GPRPROC_CUDA_KIRCHHOFF_READS");
  return value != nullptr && std::strcmp(value, "global") == 0;
}

// detail::integrate_twice per trace (one thread per trace; once per execute):
// oversampled trace-major rows -> the doubly integrated traces sample-major,
// row u (0 .. n_os + 2 pad) holding sample u of every buffer trace, `stride`
// floats apart. Adjacent threads write adjacent floats.
__global__ void integrate_traces(const float* __restrict__ oversampled, size_t pitch, int n_os, int n_traces, int pad,
                                 float* __restrict__ integrated, size_t stride, float* __restrict__ means) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= n_traces) return;
  means[j] = detail::integrate_twice(oversampled + static_cast<size_t>(j) * pitch, n_os, 1, pad, integrated + j,
                                     static_cast<long long>(stride));
}

// kirchhoff_sum with anti-aliasing: where the table's triangle half-length
// exceeds detail::antialias_min_half_length the contribution is the triangle
// read of the doubly integrated trace (three linear reads in full float
// precision: the texture's 8-bit interpolation fraction would not survive the
// second difference), otherwise the plain texture read. A warp is one row and
// one k at a time, so the branch and the triangle's sample indices are the
// same in every lane but at the B-scan's edges; the lanes' traces are
// adjacent, so with the integrated traces sample-major each of the six reads
// is one coalesced load per warp. (Trace-major, each read touched 32 cache
// lines: 42 G contributions/s at aperture 64 on the H200, against 118 G/s
// without anti-aliasing.)
__global__ void __launch_bounds__(kSumBlockX* kSumBlockY)
    kirchhoff_sum_antialias(cudaTextureObject_t traces, const float2* __restrict__ table,
                            const float2* __restrict__ filters, const int* __restrict__ row_half_width, int half_width,
                            int n_z, int first, int n_x, int n_buffer, const float* __restrict__ integrated,
                            size_t stride, const float* __restrict__ means, int pad, int n_os,
                            float* __restrict__ out, size_t out_stride) {
  const int p = blockIdx.x * kSumBlockX + threadIdx.x;
  const int row = blockIdx.y * kSumBlockY + threadIdx.y;
  if (row >= n_z) return;
  const size_t row_start = static_cast<size_t>(row) * (2 * half_width + 1) + half_width;
  const float2* entries = table + row_start;
  const float2* row_filters = filters + row_start;  // (half-length, DC gain)
  const int rk = __ldg(row_half_width + row);
  const float y = static_cast<float>(first + p) + 0.5f;
  const float last = static_cast<float>(n_os - 1);
  const long long step = static_cast<long long>(stride);
  float acc = 0.0f;
  for (int k = -rk; k <= rk; ++k) {
    const float2 e = __ldg(entries + k);
    const float2 filter = __ldg(row_filters + k);
    const float half_length = filter.x;
    if (half_length > detail::antialias_min_half_length) {
      const int m = first + p + k;  // the trace, in the buffer
      if (m < 0 || m >= n_buffer || e.x + half_length <= 0.0f || e.x - half_length >= last) continue;
      const detail::TriangleTaps t = detail::triangle_taps(e.x, half_length, e.y);
      const float* s = integrated + static_cast<long long>(pad) * step + m;  // sample 0 of trace m
      const float r0 = __ldg(s + t.index[0] * step), r1 = __ldg(s + (t.index[0] + 1) * step);
      const float r2 = __ldg(s + t.index[1] * step), r3 = __ldg(s + (t.index[1] + 1) * step);
      const float r4 = __ldg(s + t.index[2] * step), r5 = __ldg(s + (t.index[2] + 1) * step);
      acc += (((t.w0[0] * r0 + t.w1[0] * r1) + (t.w0[1] * r2 + t.w1[1] * r3)) + (t.w0[2] * r4 + t.w1[2] * r5)) +
             (e.y * filter.y) * __ldg(means + m);
    } else {
      acc = fmaf(e.y, tex2D<float>(traces, e.x + 0.5f, y + static_cast<float>(k)), acc);
    }
  }
  if (p < n_x) out[static_cast<size_t>(row) * out_stride + p] = acc;
}

}  // namespace

struct KirchhoffDevicePlan::Impl {
  KirchhoffSetup s;
  int row_length = 0;  // padded trace length on the device
  size_t tile = 0;     // image columns per tile
  size_t buffer_traces = 0;  // traces the buffers hold: min(n_traces, tile + 2 half_width)
  DeviceBuffer<float> table;
  DeviceBuffer<int> row_k;
  DeviceBuffer<float> padded;
  DeviceBuffer<cufftComplex> spectrum;
  DeviceBuffer<float> oversampled;
  size_t pitch = 0;  // elements per texture row
  DeviceBuffer<float> filters;     // anti-aliasing: (half-length, DC gain) pairs, as the table
  DeviceBuffer<float> means;       // anti-aliasing: per trace, the mean removed before integrating
  DeviceBuffer<float> integrated;  // anti-aliasing: doubly integrated traces, sample-major, buffer_traces wide
  size_t int_length = 0;           // its rows: n_os + 2 pad
  DeviceBuffer<float> sample_major;  // GPRPROC_CUDA_KIRCHHOFF_READS=global: (n_os + 2 guards) x width
  size_t width = 0, guard_columns = 0;
  FftPlan forward, inverse;  // the rho filter's R2C and C2R (with half_derivative)
  cudaTextureObject_t texture = 0;

  ~Impl() {
    if (texture) cudaDestroyTextureObject(texture);
  }
};

KirchhoffDevicePlan::KirchhoffDevicePlan(const KirchhoffSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  p.s.table.clear();
  p.s.row_half_width.clear();
  p.s.antialias.clear();
  const size_t n_os = setup.n_samples * static_cast<size_t>(setup.oversampling);
  const size_t halo_both = 2 * static_cast<size_t>(setup.half_width);

  int device = 0, pitch_align = 0, max_width = 0, max_height = 0;
  GPRPROC_CUDA_CHECK(cudaGetDevice(&device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&pitch_align, cudaDevAttrTexturePitchAlignment, device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&max_width, cudaDevAttrMaxTexture2DLinearWidth, device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&max_height, cudaDevAttrMaxTexture2DLinearHeight, device));
  // A tile's traces are texture rows and one grid row each (oversample_traces:
  // gridDim.y <= 65535): narrower tiles than asked where needed (the image
  // does not depend on the width).
  const size_t max_buffer = std::min<size_t>(65535, static_cast<size_t>(max_height));
  if (n_os > static_cast<size_t>(max_width) || halo_both + 1 > max_buffer)
    throw InvalidArgument("Kirchhoff on this GPU handles at most " + std::to_string(max_width) +
                          " oversampled samples and an aperture of at most " + std::to_string((max_buffer - 1) / 2) +
                          " traces each side; got " + std::to_string(n_os) + " and " +
                          std::to_string(setup.half_width) + " (lower the oversampling or the aperture)");
  p.tile = std::max<size_t>(1, std::min(setup.tile_traces == 0 ? setup.n_traces : setup.tile_traces,
                                        setup.n_traces));
  p.tile = std::min(p.tile, max_buffer - halo_both);
  p.buffer_traces = std::min(setup.n_traces, p.tile + halo_both);
  const size_t nb = p.buffer_traces;
  const int n_buffer = static_cast<int>(nb);
  const size_t align_elems = std::max<size_t>(1, static_cast<size_t>(pitch_align) / sizeof(float));
  p.pitch = (n_os + align_elems - 1) / align_elems * align_elems;

  p.table = DeviceBuffer<float>(setup.table.size());
  p.table.copy_from_host(setup.table.data(), setup.table.size());
  p.row_k = DeviceBuffer<int>(setup.row_half_width.size());
  p.row_k.copy_from_host(setup.row_half_width.data(), setup.row_half_width.size());

  p.row_length = static_cast<int>(setup.half_derivative ? setup.fft_length : setup.n_samples);
  p.padded = DeviceBuffer<float>(static_cast<size_t>(p.row_length) * nb);
  if (setup.half_derivative) {
    int n = static_cast<int>(setup.fft_length);
    const int bins = n / 2 + 1;
    p.spectrum = DeviceBuffer<cufftComplex>(static_cast<size_t>(bins) * nb);
    GPRPROC_CUDA_LIBRARY_CHECK(
        cufftPlanMany(p.forward.make(), 1, &n, nullptr, 1, n, nullptr, 1, bins, CUFFT_R2C, n_buffer));
    if (cufftPlanMany(p.inverse.make(), 1, &n, nullptr, 1, bins, nullptr, 1, n, CUFFT_C2R, n_buffer) != CUFFT_SUCCESS)
      throw CudaError(ErrorCode::cuda_failure, "cufftPlanMany (Kirchhoff rho filter, C2R) failed");
  }
  if (!setup.antialias.empty()) {
    p.filters = DeviceBuffer<float>(setup.antialias.size());
    p.filters.copy_from_host(setup.antialias.data(), setup.antialias.size());
    p.means = DeviceBuffer<float>(nb);
    p.int_length = n_os + 2 * static_cast<size_t>(setup.antialias_pad);
    p.integrated = DeviceBuffer<float>(p.int_length * nb);
  }
  p.oversampled = DeviceBuffer<float>(p.pitch * nb);
  GPRPROC_CUDA_CHECK(cudaMemset(p.oversampled.get(), 0, p.pitch * nb * sizeof(float)));
  if (setup.antialias.empty() && global_reads_wanted()) {
    // Zero columns: the halo's reach on the left; on the right the halo plus
    // a block's idle threads past the tile; rows padded to 32 floats.
    p.guard_columns = static_cast<size_t>(setup.half_width);
    p.width = (nb + 2 * p.guard_columns + kSumBlockX + 31) / 32 * 32;
    const size_t elements = (n_os + 2 * kGuardRows) * p.width;
    p.sample_major = DeviceBuffer<float>(elements);
    GPRPROC_CUDA_CHECK(cudaMemset(p.sample_major.get(), 0, elements * sizeof(float)));
  }

  cudaResourceDesc resource{};
  resource.resType = cudaResourceTypePitch2D;
  resource.res.pitch2D.devPtr = p.oversampled.get();
  resource.res.pitch2D.desc = cudaCreateChannelDesc<float>();
  resource.res.pitch2D.width = n_os;
  resource.res.pitch2D.height = nb;
  resource.res.pitch2D.pitchInBytes = p.pitch * sizeof(float);
  cudaTextureDesc texture{};
  texture.addressMode[0] = cudaAddressModeBorder;
  texture.addressMode[1] = cudaAddressModeBorder;
  texture.filterMode = cudaFilterModeLinear;
  texture.readMode = cudaReadModeElementType;
  texture.normalizedCoords = 0;
  GPRPROC_CUDA_CHECK(cudaCreateTextureObject(&p.texture, &resource, &texture, nullptr));
}

KirchhoffDevicePlan::~KirchhoffDevicePlan() = default;

void KirchhoffDevicePlan::execute(ConstBScanView in, BScanView out) {
  Impl& p = *impl_;
  const KirchhoffSetup& s = p.s;
  const int n_samples = static_cast<int>(s.n_samples);
  const size_t nx = s.n_traces, halo = static_cast<size_t>(s.half_width);
  const size_t n_os = s.n_samples * static_cast<size_t>(s.oversampling);
  DeviceInput input(in);
  DeviceOutput output(out);

  for (size_t j0 = 0; j0 < nx; j0 += p.tile) {
    const size_t j1 = std::min(nx, j0 + p.tile);
    // Traces [a, b): the tile's and every trace its pixels can read.
    const size_t a = j0 > halo ? j0 - halo : 0;
    const size_t b = std::min(nx, j1 + halo);
    const size_t nb = b - a;
    const int n_buffer = static_cast<int>(nb);

    const dim3 tile_block(kTile, 8);
    const dim3 tile_grid(blocks_for(nb, kTile), blocks_for(static_cast<size_t>(p.row_length), kTile));
    gather_traces<<<tile_grid, tile_block>>>(input.get() + a, nx, n_samples, n_buffer, p.row_length, p.padded.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
    if (s.half_derivative) {
      // The batch covers every buffer row; rows past nb are not read below.
      const int bins = static_cast<int>(s.fft_length / 2 + 1);
      GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.forward.get(), p.padded.get(), p.spectrum.get()));
      const size_t count = static_cast<size_t>(bins) * p.buffer_traces;
      apply_half_derivative<<<blocks_for(count, 256), 256>>>(p.spectrum.get(), bins,
                                                            static_cast<int>(p.buffer_traces),
                                                            static_cast<int>(s.fft_length), s.dt);
      GPRPROC_CUDA_CHECK_LAUNCH();
      GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(p.inverse.get(), p.spectrum.get(), p.padded.get()));
    }
    oversample_traces<<<dim3(blocks_for(n_os, kOversampleBlock), static_cast<unsigned>(nb)), kOversampleBlock>>>(
        p.padded.get(), p.row_length, n_samples, n_buffer, s.oversampling, p.oversampled.get(), p.pitch);
    GPRPROC_CUDA_CHECK_LAUNCH();
    // A short (edge) tile: texture rows past nb must read as zero, like the
    // border beyond the last trace, not as a previous tile's traces.
    if (nb < p.buffer_traces)
      GPRPROC_CUDA_CHECK(cudaMemset(p.oversampled.get() + nb * p.pitch, 0,
                                    (p.buffer_traces - nb) * p.pitch * sizeof(float)));
    const int first = static_cast<int>(j0 - a), n_cols = static_cast<int>(j1 - j0);
    float* tile_out = output.get() + j0;
    const dim3 sum_block(kSumBlockX, kSumBlockY);
    const dim3 sum_grid(blocks_for(j1 - j0, kSumBlockX), blocks_for(s.n_z, kSumBlockY));
    if (p.int_length > 0) {
      integrate_traces<<<blocks_for(nb, 128), 128>>>(p.oversampled.get(), p.pitch, static_cast<int>(n_os), n_buffer,
                                                     s.antialias_pad, p.integrated.get(), p.buffer_traces,
                                                     p.means.get());
      GPRPROC_CUDA_CHECK_LAUNCH();
      kirchhoff_sum_antialias<<<sum_grid, sum_block>>>(
          p.texture, reinterpret_cast<const float2*>(p.table.get()),
          reinterpret_cast<const float2*>(p.filters.get()), p.row_k.get(), s.half_width, static_cast<int>(s.n_z),
          first, n_cols, n_buffer, p.integrated.get(), p.buffer_traces, p.means.get(), s.antialias_pad,
          static_cast<int>(n_os), tile_out, nx);
    } else if (p.width > 0) {
      // Transpose the oversampled traces into the sample-major copy. Each of its
      // rows is written from its first data column on, `width` floats: the
      // tile's traces, then zeros up to the next row's first data column (the
      // columns past a short edge tile among them); the guards stay zero.
      float* data_origin = p.sample_major.get() + kGuardRows * p.width + p.guard_columns;
      const dim3 transpose_grid(blocks_for(n_os, kTile), blocks_for(p.width, kTile));
      gather_traces<<<transpose_grid, tile_block>>>(p.oversampled.get(), p.pitch, n_buffer, static_cast<int>(n_os),
                                                    static_cast<int>(p.width), data_origin);
      GPRPROC_CUDA_CHECK_LAUNCH();
      kirchhoff_sum_global<<<sum_grid, sum_block>>>(data_origin, p.width, static_cast<int>(n_os),
                                                    reinterpret_cast<const float2*>(p.table.get()), p.row_k.get(),
                                                    s.half_width, static_cast<int>(s.n_z), first, n_cols, tile_out,
                                                    nx);
    } else {
      kirchhoff_sum<<<sum_grid, sum_block>>>(p.texture, reinterpret_cast<const float2*>(p.table.get()),
                                             p.row_k.get(), s.half_width, static_cast<int>(s.n_z), first, n_cols,
                                             tile_out, nx);
    }
    GPRPROC_CUDA_CHECK_LAUNCH();
  }
  output.finish();
}

}  // namespace gprproc::cuda_backend
