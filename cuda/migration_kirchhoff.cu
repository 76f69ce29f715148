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
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "migration_cuda.hpp"

namespace gprproc::cuda_backend {
namespace {

constexpr int kTile = 32;
constexpr int kSumBlockX = 32;
constexpr int kSumBlockY = 8;

// in (n_samples, n_traces) row-major -> out (n_traces, row_length), zeros past n_samples.
__global__ void gather_traces(const float* __restrict__ in, int n_samples, int n_traces, int row_length,
                              float* __restrict__ out) {
  __shared__ float tile[kTile][kTile + 1];
  const int i0 = blockIdx.y * kTile, j0 = blockIdx.x * kTile;
  for (int r = threadIdx.y; r < kTile; r += blockDim.y) {
    const int i = i0 + r, j = j0 + threadIdx.x;
    tile[r][threadIdx.x] = (i < n_samples && j < n_traces) ? in[static_cast<size_t>(i) * n_traces + j] : 0.0f;
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

__global__ void oversample_traces(const float* __restrict__ traces, int row_length, int n_samples, int n_traces,
                                  int oversampling, float* __restrict__ out, size_t pitch) {
  const int q = blockIdx.x * blockDim.x + threadIdx.x;
  const int j = blockIdx.y;
  const int n_os = n_samples * oversampling;
  if (q >= n_os || j >= n_traces) return;
  const float* src = traces + static_cast<size_t>(j) * row_length;
  out[static_cast<size_t>(j) * pitch + q] =
      oversampling == 1 ? src[q]
                        : detail::sinc_sample(src, n_samples, static_cast<float>(q) / static_cast<float>(oversampling));
}

__global__ void __launch_bounds__(kSumBlockX* kSumBlockY)
    kirchhoff_sum(cudaTextureObject_t traces, const float2* __restrict__ table, const int* __restrict__ row_half_width,
                  int half_width, int n_z, int n_x, float* __restrict__ out) {
  const int p = blockIdx.x * kSumBlockX + threadIdx.x;
  const int row = blockIdx.y * kSumBlockY + threadIdx.y;
  if (row >= n_z) return;  // uniform across a warp: a warp is one row
  const float2* entries = table + static_cast<size_t>(row) * (2 * half_width + 1) + half_width;
  const int rk = __ldg(row_half_width + row);
  const float y = static_cast<float>(p) + 0.5f;  // texel centre of trace p (+ k below)
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
  if (p < n_x) out[static_cast<size_t>(row) * n_x + p] = acc0 + acc1;
}

unsigned blocks_for(size_t n, unsigned block) { return static_cast<unsigned>((n + block - 1) / block); }

}  // namespace

struct KirchhoffDevicePlan::Impl {
  KirchhoffSetup s;
  int row_length = 0;  // padded trace length on the device
  DeviceBuffer<float> table;
  DeviceBuffer<int> row_k;
  DeviceBuffer<float> padded;
  DeviceBuffer<cufftComplex> spectrum;
  DeviceBuffer<float> oversampled;
  size_t pitch = 0;  // elements per texture row
  cufftHandle forward = 0, inverse = 0;
  bool have_plans = false;
  cudaTextureObject_t texture = 0;

  ~Impl() {
    if (texture) cudaDestroyTextureObject(texture);
    if (have_plans) {
      cufftDestroy(forward);
      cufftDestroy(inverse);
    }
  }
};

KirchhoffDevicePlan::KirchhoffDevicePlan(const KirchhoffSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  p.s.table.clear();
  p.s.row_half_width.clear();
  const int n_traces = static_cast<int>(setup.n_traces);
  const size_t n_os = setup.n_samples * static_cast<size_t>(setup.oversampling);

  int device = 0, pitch_align = 0, max_width = 0, max_height = 0;
  GPRPROC_CUDA_CHECK(cudaGetDevice(&device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&pitch_align, cudaDevAttrTexturePitchAlignment, device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&max_width, cudaDevAttrMaxTexture2DLinearWidth, device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&max_height, cudaDevAttrMaxTexture2DLinearHeight, device));
  if (n_os > static_cast<size_t>(max_width) || setup.n_traces > static_cast<size_t>(max_height))
    throw InvalidArgument("Kirchhoff on this GPU handles at most " + std::to_string(max_width) +
                          " oversampled samples and " + std::to_string(max_height) + " traces per execute; got " +
                          std::to_string(n_os) + " and " + std::to_string(setup.n_traces) +
                          " (lower the oversampling or split the B-scan)");
  const size_t align_elems = std::max<size_t>(1, static_cast<size_t>(pitch_align) / sizeof(float));
  p.pitch = (n_os + align_elems - 1) / align_elems * align_elems;

  p.table = DeviceBuffer<float>(setup.table.size());
  p.table.copy_from_host(setup.table.data(), setup.table.size());
  p.row_k = DeviceBuffer<int>(setup.row_half_width.size());
  p.row_k.copy_from_host(setup.row_half_width.data(), setup.row_half_width.size());

  p.row_length = static_cast<int>(setup.half_derivative ? setup.fft_length : setup.n_samples);
  p.padded = DeviceBuffer<float>(static_cast<size_t>(p.row_length) * setup.n_traces);
  if (setup.half_derivative) {
    int n = static_cast<int>(setup.fft_length);
    const int bins = n / 2 + 1;
    p.spectrum = DeviceBuffer<cufftComplex>(static_cast<size_t>(bins) * setup.n_traces);
    GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(&p.forward, 1, &n, nullptr, 1, n, nullptr, 1, bins, CUFFT_R2C, n_traces));
    if (cufftPlanMany(&p.inverse, 1, &n, nullptr, 1, bins, nullptr, 1, n, CUFFT_C2R, n_traces) != CUFFT_SUCCESS) {
      cufftDestroy(p.forward);
      throw CudaError(ErrorCode::cuda_failure, "cufftPlanMany (Kirchhoff rho filter, C2R) failed");
    }
    p.have_plans = true;
  }
  p.oversampled = DeviceBuffer<float>(p.pitch * setup.n_traces);
  GPRPROC_CUDA_CHECK(cudaMemset(p.oversampled.get(), 0, p.pitch * setup.n_traces * sizeof(float)));

  cudaResourceDesc resource{};
  resource.resType = cudaResourceTypePitch2D;
  resource.res.pitch2D.devPtr = p.oversampled.get();
  resource.res.pitch2D.desc = cudaCreateChannelDesc<float>();
  resource.res.pitch2D.width = n_os;
  resource.res.pitch2D.height = setup.n_traces;
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
  const int n_samples = static_cast<int>(s.n_samples), n_traces = static_cast<int>(s.n_traces);
  DeviceInput input(in);
  DeviceOutput output(out);

  const dim3 tile_block(kTile, 8);
  const dim3 tile_grid(blocks_for(s.n_traces, kTile), blocks_for(static_cast<size_t>(p.row_length), kTile));
  gather_traces<<<tile_grid, tile_block>>>(input.get(), n_samples, n_traces, p.row_length, p.padded.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  if (s.half_derivative) {
    const int bins = static_cast<int>(s.fft_length / 2 + 1);
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.forward, p.padded.get(), p.spectrum.get()));
    const size_t count = static_cast<size_t>(bins) * s.n_traces;
    apply_half_derivative<<<blocks_for(count, 256), 256>>>(p.spectrum.get(), bins, n_traces,
                                                          static_cast<int>(s.fft_length), s.dt);
    GPRPROC_CUDA_CHECK_LAUNCH();
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(p.inverse, p.spectrum.get(), p.padded.get()));
  }
  const size_t n_os = s.n_samples * static_cast<size_t>(s.oversampling);
  oversample_traces<<<dim3(blocks_for(n_os, 256), s.n_traces), 256>>>(p.padded.get(), p.row_length, n_samples,
                                                                      n_traces, s.oversampling, p.oversampled.get(),
                                                                      p.pitch);
  GPRPROC_CUDA_CHECK_LAUNCH();
  const dim3 sum_block(kSumBlockX, kSumBlockY);
  const dim3 sum_grid(blocks_for(s.n_traces, kSumBlockX), blocks_for(s.n_z, kSumBlockY));
  kirchhoff_sum<<<sum_grid, sum_block>>>(p.texture, reinterpret_cast<const float2*>(p.table.get()), p.row_k.get(),
                                         s.half_width, static_cast<int>(s.n_z), n_traces, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

}  // namespace gprproc::cuda_backend
