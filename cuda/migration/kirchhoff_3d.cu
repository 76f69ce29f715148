// 3-D Kirchhoff migration on the GPU, the CPU's algorithm
// (src/migration/kirchhoff_3d_cpu.cpp) step for step. Per tile of image
// columns (its traces plus halo_traces each side), lines enter a ring of
// ring_lines device line buffers as the line blocks need them:
//   1. gather the line's traces trace-major (tiled transpose), zero-padded to
//      the pre-filter's FFT length; cuFFT R2C, times detail::derivative_factor,
//      C2R; transpose back to sample-major;
//   2. oversample (detail::oversampling_weight's taps, the CPU's order) into
//      the line's ring slot, sample-major with a zero row before and after
//      (row q + 1 = sample q), so a warp's 32 pixels read 32 consecutive floats;
//   3. with anti-aliasing, detail::integrate_twice per trace (sample-major out);
//   4. the sum: one thread per image pixel (line, depth row, column), looping
//      over its row's table entries in the CPU's order, the two lines j +- l of
//      an entry read together (as the CPU's row_linear_pair).
// The cube and the image are staged on the device whole (host views are
// copied in and out); the plan's own buffers are what tile_memory bounds.
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "fft_plan.hpp"
#include "gprproc/detail/migration_3d_math.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "launch_size.hpp"
#include "migration/migration_3d_cuda.hpp"

namespace gprproc::cuda_backend {
namespace {

constexpr int kTile = 32;
constexpr int kSumX = 32, kSumY = 8;
constexpr int kMaxOversampling = 16;
constexpr int kSincTaps = 2 * detail::sinc_half_width;

// in (n_samples, n_traces) rows in_stride apart -> out (n_traces, row_length), zeros past n_samples.
__global__ void k3d_gather(const float* __restrict__ in, size_t in_stride, int n_samples, int n_traces,
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

// traces (n_traces, row_length) -> out (n_samples, n_traces).
__global__ void k3d_scatter(const float* __restrict__ traces, int row_length, int n_samples, int n_traces,
                            float* __restrict__ out) {
  __shared__ float tile[kTile][kTile + 1];
  const int j0 = blockIdx.y * kTile, i0 = blockIdx.x * kTile;
  for (int r = threadIdx.y; r < kTile; r += blockDim.y) {
    const int j = j0 + r, i = i0 + threadIdx.x;
    tile[r][threadIdx.x] = (j < n_traces && i < n_samples) ? traces[static_cast<size_t>(j) * row_length + i] : 0.0f;
  }
  __syncthreads();
  for (int r = threadIdx.y; r < kTile; r += blockDim.y) {
    const int i = i0 + r, j = j0 + threadIdx.x;
    if (i < n_samples && j < n_traces) out[static_cast<size_t>(i) * n_traces + j] = tile[threadIdx.x][r];
  }
}

__global__ void k3d_derivative(cufftComplex* spectrum, int n_bins, int n_traces, int fft_length, double dt) {
  const size_t idx = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (idx >= static_cast<size_t>(n_bins) * n_traces) return;
  const int k = static_cast<int>(idx % n_bins);
  const float f = detail::derivative_factor(k, fft_length, dt).im;  // purely imaginary: i f
  const float scale = 1.0f / static_cast<float>(fft_length);    // cuFFT's inverse is unnormalised
  const cufftComplex v = spectrum[idx];
  spectrum[idx] = make_float2(-f * v.y * scale, f * v.x * scale);
}

// Sample-major `src` (n_samples rows, `stride` floats apart, n_traces used)
// -> ring slot (n_os + 2 rows of n_traces). Grid: x over traces, y over rows (grid-strided).
__global__ void k3d_oversample(const float* __restrict__ src, size_t stride, int n_samples, int n_traces,
                               int oversampling, float* __restrict__ slot) {
  __shared__ float weights[kMaxOversampling * kSincTaps];
  for (int w = threadIdx.x; w < oversampling * kSincTaps; w += blockDim.x)
    weights[w] = detail::oversampling_weight(w / kSincTaps, oversampling, w % kSincTaps);
  __syncthreads();
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= n_traces) return;
  const int n_os = n_samples * oversampling;
  for (int row = blockIdx.y; row < n_os + 2; row += gridDim.y) {
    float sum = 0.0f;
    if (row >= 1 && row <= n_os) {
      const int q = row - 1;
      if (oversampling == 1) {
        sum = src[static_cast<size_t>(q) * stride + j];
      } else {
        const int base = q / oversampling, phase = q - base * oversampling;
        const float* w = weights + phase * kSincTaps;
        for (int tap = 0; tap < kSincTaps; ++tap) {
          const int i = base - detail::sinc_half_width + 1 + tap;
          if (i >= 0 && i < n_samples) sum += src[static_cast<size_t>(i) * stride + j] * w[tap];
        }
      }
    }
    slot[static_cast<size_t>(row) * n_traces + j] = sum;
  }
}

// detail::integrate_twice per trace of a ring slot (sample-major in and out).
__global__ void k3d_integrate(const float* __restrict__ slot, int n_os, int n_traces, int pad,
                              float* __restrict__ integrated, float* __restrict__ means) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= n_traces) return;
  means[j] = detail::integrate_twice(slot + n_traces + j, n_os, n_traces, pad, integrated + j, n_traces);
}

struct SumArgs {
  const float* ring;
  size_t os_size;  // floats per ring slot: (n_os + 2) * nb
  const float* integrated;
  size_t int_size;  // floats per slot of the integrated traces: (n_os + 2 pad) * nb
  const float* means;
  int slots, nb, n_os, pad;
  const detail::Kirchhoff3DEntry* entries;
  const int* row_begin;
  const float2* antialias;  // null: off
  int n_lines, line_begin, n_z, c_begin, c_end;
  float* out;  // the image, (n_lines, n_z, n_traces), at column a of the tile
  size_t n_traces;
};

__device__ float k3d_triangle(const SumArgs& s, int line, int m, const detail::TriangleTaps& t, float mean_weight) {
  const size_t slot = static_cast<size_t>(line % s.slots);
  const long long step = s.nb;
  const float* p = s.integrated + slot * s.int_size + static_cast<long long>(s.pad) * step + m;
  const float r0 = p[t.index[0] * step], r1 = p[(t.index[0] + 1) * step];
  const float r2 = p[t.index[1] * step], r3 = p[(t.index[1] + 1) * step];
  const float r4 = p[t.index[2] * step], r5 = p[(t.index[2] + 1) * step];
  return (((t.w0[0] * r0 + t.w1[0] * r1) + (t.w0[1] * r2 + t.w1[1] * r3)) + (t.w0[2] * r4 + t.w1[2] * r5)) +
         mean_weight * s.means[slot * s.nb + m];
}

__global__ void __launch_bounds__(kSumX* kSumY) k3d_sum(SumArgs s) {
  const int c = s.c_begin + blockIdx.x * kSumX + threadIdx.x;
  const int row = blockIdx.y * kSumY + threadIdx.y;
  const int j = s.line_begin + blockIdx.z;
  if (row >= s.n_z || c >= s.c_end) return;  // no barriers below
  const float last = static_cast<float>(s.n_os - 1);
  float acc = 0.0f;
  for (int e = s.row_begin[row]; e < s.row_begin[row + 1]; ++e) {
    const detail::Kirchhoff3DEntry entry = s.entries[e];
    const int m = c + entry.trace_offset;  // the trace, in the tile's buffer
    if (m < 0 || m >= s.nb) continue;
    const int plus = j + entry.line_offset, minus = j - entry.line_offset;
    const bool has_plus = plus < s.n_lines, has_minus = entry.line_offset > 0 && minus >= 0;
    if (!has_plus && !has_minus) continue;
    const float half_length = s.antialias ? s.antialias[e].x : 0.0f;
    if (half_length > detail::antialias_min_half_length) {
      if (entry.position + half_length <= 0.0f || entry.position - half_length >= last) continue;
      const detail::TriangleTaps taps = detail::triangle_taps(entry.position, half_length, entry.weight);
      const float mean_weight = entry.weight * s.antialias[e].y;
      if (has_plus) acc += k3d_triangle(s, plus, m, taps, mean_weight);
      if (has_minus) acc += k3d_triangle(s, minus, m, taps, mean_weight);
    } else {
      const detail::LinearTaps taps = detail::linear_taps(entry.position, entry.weight);
      if (taps.index < -1 || taps.index > s.n_os - 1) continue;
      const size_t offset = static_cast<size_t>(taps.index + 1) * s.nb + m;
      if (has_plus && has_minus) {
        const float* p = s.ring + static_cast<size_t>(plus % s.slots) * s.os_size + offset;
        const float* q = s.ring + static_cast<size_t>(minus % s.slots) * s.os_size + offset;
        acc += taps.w0 * (p[0] + q[0]) + taps.w1 * (p[s.nb] + q[s.nb]);
      } else {
        const float* p = s.ring + static_cast<size_t>((has_plus ? plus : minus) % s.slots) * s.os_size + offset;
        acc += taps.w0 * p[0] + taps.w1 * p[s.nb];
      }
    }
  }
  s.out[(static_cast<size_t>(j) * s.n_z + row) * s.n_traces + c] = acc;
}

}  // namespace

struct Kirchhoff3DDevicePlan::Impl {
  Kirchhoff3DSetup s;
  size_t slots = 0, widest = 0;
  int row_length = 0;
  DeviceBuffer<detail::Kirchhoff3DEntry> entries;
  DeviceBuffer<int> row_begin;
  DeviceBuffer<float> antialias;
  DeviceBuffer<float> padded, scratch, ring, integrated, means;
  DeviceBuffer<cufftComplex> spectrum;
  FftPlan forward, inverse;
};

Kirchhoff3DDevicePlan::Kirchhoff3DDevicePlan(const Kirchhoff3DSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  const Kirchhoff3DSetup& s = setup;
  if (s.n_z > 65535 || s.n_lines > 65535)
    throw InvalidArgument("3-D Kirchhoff on the GPU handles at most 65535 depth rows and 65535 lines, got " +
                          std::to_string(s.n_z) + " and " + std::to_string(s.n_lines));
  p.slots = s.ring_lines();
  p.widest = s.buffer_traces();
  const size_t n_os = s.n_os(), pad = static_cast<size_t>(s.antialias_pad);
  p.entries = DeviceBuffer<detail::Kirchhoff3DEntry>(s.entries.size());
  if (!s.entries.empty()) p.entries.copy_from_host(s.entries.data(), s.entries.size());
  p.row_begin = DeviceBuffer<int>(s.row_begin.size());
  p.row_begin.copy_from_host(s.row_begin.data(), s.row_begin.size());
  if (!s.antialias.empty()) {
    p.antialias = DeviceBuffer<float>(s.antialias.size());
    p.antialias.copy_from_host(s.antialias.data(), s.antialias.size());
    p.integrated = DeviceBuffer<float>(p.slots * (n_os + 2 * pad) * p.widest);
    p.means = DeviceBuffer<float>(p.slots * p.widest);
  }
  p.ring = DeviceBuffer<float>(p.slots * (n_os + 2) * p.widest);
  if (s.derivative) {
    p.row_length = static_cast<int>(s.fft_length);
    int n = static_cast<int>(s.fft_length);
    const int bins = n / 2 + 1, batch = static_cast<int>(p.widest);
    p.padded = DeviceBuffer<float>(static_cast<size_t>(n) * p.widest);
    GPRPROC_CUDA_CHECK(cudaMemset(p.padded.get(), 0, static_cast<size_t>(n) * p.widest * sizeof(float)));
    p.spectrum = DeviceBuffer<cufftComplex>(static_cast<size_t>(bins) * p.widest);
    p.scratch = DeviceBuffer<float>(s.n_samples * p.widest);
    GPRPROC_CUDA_LIBRARY_CHECK(
        cufftPlanMany(p.forward.make(), 1, &n, nullptr, 1, n, nullptr, 1, bins, CUFFT_R2C, batch));
    GPRPROC_CUDA_LIBRARY_CHECK(
        cufftPlanMany(p.inverse.make(), 1, &n, nullptr, 1, bins, nullptr, 1, n, CUFFT_C2R, batch));
  }
}

Kirchhoff3DDevicePlan::~Kirchhoff3DDevicePlan() = default;

void Kirchhoff3DDevicePlan::execute(ConstBScanStackView in, BScanStackView out) {
  Impl& p = *impl_;
  const Kirchhoff3DSetup& s = p.s;
  const size_t nx = s.n_traces, ns = s.n_samples, n_os = s.n_os(), pad = static_cast<size_t>(s.antialias_pad);
  const size_t halo_x = static_cast<size_t>(s.halo_traces), halo_y = static_cast<size_t>(s.halo_lines);
  DeviceInput input(ConstBScanView{in.samples, in.n_bscans * in.n_samples, in.n_traces, in.memory});
  DeviceOutput output(BScanView{out.samples, out.n_bscans * out.n_samples, out.n_traces, out.memory});
  const size_t tile_x = std::max<size_t>(1, std::min(s.tile_traces, nx));
  const size_t block = std::max<size_t>(1, std::min(s.tile_lines, s.n_lines));
  const bool antialias = !s.antialias.empty();
  const dim3 tile_block(kTile, 8);
  for (size_t i0 = 0; i0 < nx; i0 += tile_x) {
    const size_t i1 = std::min(nx, i0 + tile_x);
    const size_t a = i0 > halo_x ? i0 - halo_x : 0;
    const size_t nb = std::min(nx, i1 + halo_x) - a;
    const int n_buffer = static_cast<int>(nb);
    const size_t os_size = (n_os + 2) * nb, int_size = (n_os + 2 * pad) * nb;
    size_t next_line = 0;
    for (size_t j0 = 0; j0 < s.n_lines; j0 += block) {
      const size_t j1 = std::min(s.n_lines, j0 + block);
      const size_t needed = std::min(s.n_lines, j1 + halo_y);
      for (; next_line < needed; ++next_line) {
        const float* line = input.get() + next_line * ns * nx + a;
        float* slot = p.ring.get() + (next_line % p.slots) * os_size;
        const float* source = line;
        size_t stride = nx;
        if (s.derivative) {
          const dim3 gather_grid(blocks_for(nb, kTile), blocks_for(static_cast<size_t>(p.row_length), kTile));
          k3d_gather<<<gather_grid, tile_block>>>(line, nx, static_cast<int>(ns), n_buffer, p.row_length,
                                                   p.padded.get());
          GPRPROC_CUDA_CHECK_LAUNCH();
          const int bins = static_cast<int>(s.fft_length / 2 + 1);
          GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.forward.get(), p.padded.get(), p.spectrum.get()));
          const size_t count = static_cast<size_t>(bins) * p.widest;
          k3d_derivative<<<blocks_for(count, 256), 256>>>(p.spectrum.get(), bins, static_cast<int>(p.widest),
                                                          static_cast<int>(s.fft_length), s.dt);
          GPRPROC_CUDA_CHECK_LAUNCH();
          GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(p.inverse.get(), p.spectrum.get(), p.padded.get()));
          const dim3 scatter_grid(blocks_for(ns, kTile), blocks_for(nb, kTile));
          k3d_scatter<<<scatter_grid, tile_block>>>(p.padded.get(), p.row_length, static_cast<int>(ns), n_buffer,
                                                    p.scratch.get());
          GPRPROC_CUDA_CHECK_LAUNCH();
          source = p.scratch.get();
          stride = nb;
        }
        const unsigned rows = static_cast<unsigned>(std::min<size_t>(n_os + 2, 65535));
        k3d_oversample<<<dim3(blocks_for(nb, 128), rows), 128>>>(source, stride, static_cast<int>(ns), n_buffer,
                                                                 s.oversampling, slot);
        GPRPROC_CUDA_CHECK_LAUNCH();
        if (antialias) {
          const size_t k = next_line % p.slots;
          k3d_integrate<<<blocks_for(nb, 128), 128>>>(slot, static_cast<int>(n_os), n_buffer, s.antialias_pad,
                                                      p.integrated.get() + k * int_size, p.means.get() + k * nb);
          GPRPROC_CUDA_CHECK_LAUNCH();
        }
      }
      SumArgs args;
      args.ring = p.ring.get();
      args.os_size = os_size;
      args.integrated = antialias ? p.integrated.get() : nullptr;
      args.int_size = int_size;
      args.means = antialias ? p.means.get() : nullptr;
      args.slots = static_cast<int>(p.slots);
      args.nb = n_buffer;
      args.n_os = static_cast<int>(n_os);
      args.pad = s.antialias_pad;
      args.entries = p.entries.get();
      args.row_begin = p.row_begin.get();
      args.antialias = antialias ? reinterpret_cast<const float2*>(p.antialias.get()) : nullptr;
      args.n_lines = static_cast<int>(s.n_lines);
      args.line_begin = static_cast<int>(j0);
      args.n_z = static_cast<int>(s.n_z);
      args.c_begin = static_cast<int>(i0 - a);
      args.c_end = static_cast<int>(i1 - a);
      args.out = output.get() + a;
      args.n_traces = nx;
      const dim3 grid(blocks_for(i1 - i0, kSumX), blocks_for(s.n_z, kSumY), static_cast<unsigned>(j1 - j0));
      k3d_sum<<<grid, dim3(kSumX, kSumY)>>>(args);
      GPRPROC_CUDA_CHECK_LAUNCH();
    }
  }
  output.finish();
}

}  // namespace gprproc::cuda_backend
