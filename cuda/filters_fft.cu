// cuFFT part of the preprocessing filters: zero-phase band-pass and the
// Hilbert transform. Traces are gathered (tiled transpose, coalesced on both
// sides) into a zero-padded, trace-contiguous buffer, transformed in place by
// batched R2C / C2R plans that are cached and reused, and scattered back.
// Large B-scans are processed in chunks of traces to bound the scratch memory.
#include <cufft.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "filters_cuda.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "preprocessing_cuda_common.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr int kTile = 32;
constexpr int kRows = 8;
constexpr std::size_t kChunkBytes = std::size_t(512) << 20;  // scratch per chunk of traces

struct RealPlans {
  cufftHandle forward = 0;
  cufftHandle inverse = 0;
};

// Plans for (n_fft, batch), created once and kept for the process (cuFFT
// plans are costly to create; a velocity scan or a stream reuses them).
// Callers hold plan_mutex() while they use the plans.
std::mutex& plan_mutex() {
  static std::mutex m;
  return m;
}
RealPlans plans_for(std::size_t n_fft, std::size_t batch) {
  static auto* cache = new std::map<std::pair<std::size_t, std::size_t>, RealPlans>();
  const auto key = std::make_pair(n_fft, batch);
  auto it = cache->find(key);
  if (it != cache->end()) return it->second;
  if (cache->size() >= 4) {  // bound the GPU memory held by cached work areas
    for (auto& entry : *cache) {
      cufftDestroy(entry.second.forward);
      cufftDestroy(entry.second.inverse);
    }
    cache->clear();
  }
  int n = static_cast<int>(n_fft);
  const int n_bins = n / 2 + 1;
  int real_embed = 2 * n_bins, complex_embed = n_bins;  // in-place layout: rows padded to 2 * n_bins floats
  RealPlans p;
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(&p.forward, 1, &n, &real_embed, 1, real_embed, &complex_embed, 1,
                                           complex_embed, CUFFT_R2C, static_cast<int>(batch)));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(&p.inverse, 1, &n, &complex_embed, 1, complex_embed, &real_embed, 1,
                                           real_embed, CUFFT_C2R, static_cast<int>(batch)));
  (*cache)[key] = p;
  return p;
}

// Gathers traces [j_begin, j_begin + n_chunk) into rows of `buffer` (row stride
// `stride` floats), zero beyond the trace up to n_fft.
__global__ void pack_kernel(const float* __restrict__ in, std::size_t ns, std::size_t nt, std::size_t j_begin,
                            std::size_t n_chunk, float* __restrict__ buffer, std::size_t stride, std::size_t n_fft,
                            int* non_finite) {
  __shared__ float tile[kTile][kTile + 1];
  const std::size_t j0 = static_cast<std::size_t>(blockIdx.x) * kTile;
  const std::size_t i0 = static_cast<std::size_t>(blockIdx.y) * kTile;
  bool bad = false;
  for (int r = threadIdx.y; r < kTile; r += kRows) {
    const std::size_t i = i0 + r, j = j0 + threadIdx.x;
    float v = 0.0f;
    if (i < ns && j < n_chunk) {
      v = in[i * nt + j_begin + j];
      bad = bad || !isfinite(v);
    }
    tile[r][threadIdx.x] = v;
  }
  if (bad) *non_finite = 1;
  __syncthreads();
  for (int r = threadIdx.y; r < kTile; r += kRows) {
    const std::size_t j = j0 + r, i = i0 + threadIdx.x;
    if (j < n_chunk && i < n_fft) buffer[j * stride + i] = tile[threadIdx.x][r];
  }
}

// Scatters rows of `buffer` back to traces, times `scale`.
__global__ void unpack_kernel(const float* __restrict__ buffer, std::size_t stride, float scale, std::size_t ns,
                              std::size_t nt, std::size_t j_begin, std::size_t n_chunk, float* __restrict__ out) {
  __shared__ float tile[kTile][kTile + 1];
  const std::size_t j0 = static_cast<std::size_t>(blockIdx.x) * kTile;
  const std::size_t i0 = static_cast<std::size_t>(blockIdx.y) * kTile;
  for (int r = threadIdx.y; r < kTile; r += kRows) {
    const std::size_t j = j0 + r, i = i0 + threadIdx.x;
    tile[r][threadIdx.x] = (j < n_chunk && i < ns) ? buffer[j * stride + i] * scale : 0.0f;
  }
  __syncthreads();
  for (int r = threadIdx.y; r < kTile; r += kRows) {
    const std::size_t i = i0 + r, j = j0 + threadIdx.x;
    if (i < ns && j < n_chunk) out[i * nt + j_begin + j] = tile[threadIdx.x][r];
  }
}

// Scatters the Hilbert transform h (rows of `buffer`, times `scale`) and
// combines it with the input x into envelope |x + ih| and phase arg(x + ih).
// Each output element is written by the thread that reads its x, so the
// outputs may alias the input.
__global__ void unpack_analytic_kernel(const float* __restrict__ buffer, std::size_t stride, float scale,
                                       std::size_t ns, std::size_t nt, std::size_t j_begin, std::size_t n_chunk,
                                       const float* in, float* envelope, float* phase) {
  __shared__ float tile[kTile][kTile + 1];
  const std::size_t j0 = static_cast<std::size_t>(blockIdx.x) * kTile;
  const std::size_t i0 = static_cast<std::size_t>(blockIdx.y) * kTile;
  for (int r = threadIdx.y; r < kTile; r += kRows) {
    const std::size_t j = j0 + r, i = i0 + threadIdx.x;
    tile[r][threadIdx.x] = (j < n_chunk && i < ns) ? buffer[j * stride + i] * scale : 0.0f;
  }
  __syncthreads();
  for (int r = threadIdx.y; r < kTile; r += kRows) {
    const std::size_t i = i0 + r, j = j0 + threadIdx.x;
    if (i < ns && j < n_chunk) {
      const std::size_t k = i * nt + j_begin + j;
      const float x = in[k], h = tile[threadIdx.x][r];
      if (envelope) envelope[k] = sqrtf(x * x + h * h);
      if (phase) phase[k] = atan2f(h, x);
    }
  }
}

__global__ void multiply_response_kernel(cufftComplex* spectrum, std::size_t n_bins, std::size_t n_chunk,
                                         const float* response) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k >= n_bins * n_chunk) return;
  const float w = response[k % n_bins];
  spectrum[k].x *= w;
  spectrum[k].y *= w;
}

// X[k] -> -i X[k] (0 at DC and Nyquist): the half spectrum of the Hilbert transform.
__global__ void hilbert_spectrum_kernel(cufftComplex* spectrum, std::size_t n_bins, std::size_t n_chunk) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k >= n_bins * n_chunk) return;
  const std::size_t bin = k % n_bins;
  const cufftComplex x = spectrum[k];
  if (bin == 0 || bin == n_bins - 1) {
    spectrum[k].x = 0.0f;
    spectrum[k].y = 0.0f;
  } else {
    spectrum[k].x = x.y;
    spectrum[k].y = -x.x;
  }
}

struct Chunking {
  std::size_t n_bins, stride, chunk;
};
Chunking chunking(std::size_t n_fft, std::size_t nt) {
  Chunking c;
  c.n_bins = n_fft / 2 + 1;
  c.stride = 2 * c.n_bins;
  c.chunk = std::max<std::size_t>(1, std::min(nt, kChunkBytes / (c.stride * sizeof(float))));
  if ((n_fft + kTile - 1) / kTile > 65535)
    throw InvalidArgument("band-pass / Hilbert: traces of " + std::to_string(n_fft / 2) +
                          " samples exceed the GPU kernel limits");
  return c;
}

dim3 tile_grid(std::size_t n_chunk, std::size_t rows) {
  return dim3(static_cast<unsigned int>((n_chunk + kTile - 1) / kTile),
              static_cast<unsigned int>((rows + kTile - 1) / kTile));
}

}  // namespace

void bandpass(ConstBScanView in, std::size_t n_fft, const std::vector<float>& response, BScanView out) {
  const std::size_t ns = in.n_samples, nt = in.n_traces;
  const Chunking c = chunking(n_fft, nt);
  DeviceInput d_in(in);
  DeviceOutput d_out(out);
  NonFiniteFlag flag;
  DeviceBuffer<float> d_response(response.size());
  d_response.copy_from_host(response.data(), response.size());
  DeviceBuffer<float> buffer(c.stride * c.chunk);
  std::lock_guard<std::mutex> lock(plan_mutex());
  for (std::size_t j_begin = 0; j_begin < nt; j_begin += c.chunk) {
    const std::size_t n_chunk = std::min(c.chunk, nt - j_begin);
    const RealPlans plans = plans_for(n_fft, n_chunk);
    pack_kernel<<<tile_grid(n_chunk, n_fft), dim3(kTile, kRows)>>>(d_in.get(), ns, nt, j_begin, n_chunk,
                                                                    buffer.get(), c.stride, n_fft, flag.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
    auto* spectrum = reinterpret_cast<cufftComplex*>(buffer.get());
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(plans.forward, buffer.get(), spectrum));
    multiply_response_kernel<<<blocks_for(c.n_bins * n_chunk, 256), 256>>>(spectrum, c.n_bins, n_chunk,
                                                                            d_response.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(plans.inverse, spectrum, buffer.get()));
    // The response already holds the 1 / n_fft of the inverse transform.
    unpack_kernel<<<tile_grid(n_chunk, ns), dim3(kTile, kRows)>>>(buffer.get(), c.stride, 1.0f, ns, nt, j_begin,
                                                                   n_chunk, d_out.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
  }
  d_out.finish();
  flag.check("bandpass");
}

void hilbert_on_device(const float* in, std::size_t ns, std::size_t nt, std::size_t n_fft, float* envelope,
                       float* phase, int* non_finite) {
  const Chunking c = chunking(n_fft, nt);
  DeviceBuffer<float> buffer(c.stride * c.chunk);
  std::lock_guard<std::mutex> lock(plan_mutex());
  for (std::size_t j_begin = 0; j_begin < nt; j_begin += c.chunk) {
    const std::size_t n_chunk = std::min(c.chunk, nt - j_begin);
    const RealPlans plans = plans_for(n_fft, n_chunk);
    pack_kernel<<<tile_grid(n_chunk, n_fft), dim3(kTile, kRows)>>>(in, ns, nt, j_begin, n_chunk, buffer.get(),
                                                                    c.stride, n_fft, non_finite);
    GPRPROC_CUDA_CHECK_LAUNCH();
    auto* spectrum = reinterpret_cast<cufftComplex*>(buffer.get());
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(plans.forward, buffer.get(), spectrum));
    hilbert_spectrum_kernel<<<blocks_for(c.n_bins * n_chunk, 256), 256>>>(spectrum, c.n_bins, n_chunk);
    GPRPROC_CUDA_CHECK_LAUNCH();
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(plans.inverse, spectrum, buffer.get()));
    unpack_analytic_kernel<<<tile_grid(n_chunk, ns), dim3(kTile, kRows)>>>(
        buffer.get(), c.stride, 1.0f / static_cast<float>(n_fft), ns, nt, j_begin, n_chunk, in, envelope, phase);
    GPRPROC_CUDA_CHECK_LAUNCH();
  }
  // The caller's later copies and checks run on the same (default) stream.
  GPRPROC_CUDA_CHECK(cudaStreamSynchronize(nullptr));
}

void hilbert(ConstBScanView in, std::size_t n_fft, BScanView envelope, BScanView phase) {
  DeviceInput d_in(in);
  // Outputs are staged (host) or used in place (device); a null one is skipped.
  std::unique_ptr<DeviceOutput> d_env, d_phase;
  if (envelope.samples) d_env = std::make_unique<DeviceOutput>(envelope);
  if (phase.samples) d_phase = std::make_unique<DeviceOutput>(phase);
  NonFiniteFlag flag;
  hilbert_on_device(d_in.get(), in.n_samples, in.n_traces, n_fft, d_env ? d_env->get() : nullptr,
                    d_phase ? d_phase->get() : nullptr, flag.get());
  if (d_env) d_env->finish();
  if (d_phase) d_phase->finish();
  flag.check("hilbert");
}

}  // namespace gprproc::cuda_backend
