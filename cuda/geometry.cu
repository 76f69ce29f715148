// CUDA kernels of the field-geometry steps. The trace mix runs one thread per
// output sample, a warp across adjacent output traces of one row (their input
// traces are near each other in the row, so the reads mostly coalesce). The
// saturation passes run one thread per trace walking down its column (adjacent
// threads read adjacent traces of a row): a run of clipped samples is a
// sequential property of a trace, and the pass is a small part of a field
// workflow, so it is kept simple (no speed claim).
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "geometry_cuda.hpp"
#include "gprproc/detail/geometry_math.hpp"
#include "launch_size.hpp"
#include "preprocessing_cuda_common.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr unsigned int kThreads = 256;
constexpr std::size_t kMaxRowBlocks = 65535;  // gridDim.y; taller inputs loop over rows

__global__ void mix_kernel(const float* __restrict__ in, float* __restrict__ out, std::size_t ns, std::size_t n_in,
                           std::size_t n_out, const std::size_t* __restrict__ offsets,
                           const std::size_t* __restrict__ index, const double* __restrict__ weight,
                           int* non_finite) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k >= n_out) return;
  const std::size_t begin = offsets[k], end = offsets[k + 1];
  bool bad = false;
  for (std::size_t i = blockIdx.y; i < ns; i += gridDim.y) {
    const float* row = in + i * n_in;
    for (std::size_t w = begin; w < end; ++w) bad = bad || !isfinite(row[index[w]]);
    out[i * n_out + k] = detail::mix_sample(row, index, weight, begin, end);
  }
  if (bad) *non_finite = 1;
}

__global__ void extremes_kernel(const float* __restrict__ in, std::size_t ns, std::size_t nt, float* lowest,
                                float* highest, int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  float lo = INFINITY, hi = -INFINITY;
  bool bad = false;
  for (std::size_t i = 0; i < ns; ++i) {
    const float v = in[i * nt + j];
    bad = bad || !isfinite(v);
    detail::extremes_update(v, lo, hi);
  }
  lowest[j] = lo;
  highest[j] = hi;
  if (bad) *non_finite = 1;
}

__global__ void saturation_kernel(const float* __restrict__ in, std::size_t ns, std::size_t nt, double low,
                                  double high, double tolerance, detail::SaturationCounter* counters,
                                  int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  detail::SaturationCounter c = detail::saturation_counter();
  bool bad = false;
  for (std::size_t i = 0; i < ns; ++i) {
    const float v = in[i * nt + j];
    bad = bad || !isfinite(v);
    detail::saturation_update(c, v, low, high, tolerance);
  }
  counters[j] = c;
  if (bad) *non_finite = 1;
}

}  // namespace

void apply_trace_mix(ConstBScanView in, const TraceMix& mix, BScanView out) {
  DeviceInput d_in(in);
  DeviceOutput d_out(out);
  NonFiniteFlag flag;
  DeviceBuffer<std::size_t> offsets(mix.offsets.size()), index(mix.index.size());
  DeviceBuffer<double> weight(mix.weight.size());
  offsets.copy_from_host(mix.offsets.data(), mix.offsets.size());
  if (!mix.index.empty()) {
    index.copy_from_host(mix.index.data(), mix.index.size());
    weight.copy_from_host(mix.weight.data(), mix.weight.size());
  }
  const dim3 grid(blocks_for(out.n_traces, kThreads),
                  static_cast<unsigned int>(std::min<std::size_t>(in.n_samples, kMaxRowBlocks)));
  mix_kernel<<<grid, kThreads>>>(d_in.get(), d_out.get(), in.n_samples, in.n_traces, out.n_traces, offsets.get(),
                                 index.get(), weight.get(), flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  flag.check("apply_trace_mix");
}

void trace_extremes(ConstBScanView in, float* lowest, float* highest) {
  DeviceInput d_in(in);
  NonFiniteFlag flag;
  DeviceBuffer<float> lo(in.n_traces), hi(in.n_traces);
  extremes_kernel<<<blocks_for(in.n_traces, kThreads), kThreads>>>(d_in.get(), in.n_samples, in.n_traces, lo.get(),
                                                                   hi.get(), flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  lo.copy_to_host(lowest, in.n_traces);
  hi.copy_to_host(highest, in.n_traces);
  flag.check("detect_saturation");  // synchronises
}

void saturation_counts(ConstBScanView in, double low, double high, double tolerance,
                       detail::SaturationCounter* counters) {
  DeviceInput d_in(in);
  NonFiniteFlag flag;
  DeviceBuffer<detail::SaturationCounter> c(in.n_traces);
  saturation_kernel<<<blocks_for(in.n_traces, kThreads), kThreads>>>(d_in.get(), in.n_samples, in.n_traces, low,
                                                                     high, tolerance, c.get(), flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  c.copy_to_host(counters, in.n_traces);
  flag.check("detect_saturation");  // synchronises
}

void pad_samples(ConstBScanView in, BScanView out) {
  // Row-major: the first n_samples rows of `out` are one contiguous block.
  GPRPROC_CUDA_CHECK(cudaMemcpy(out.samples, in.samples, in.size() * sizeof(float), cudaMemcpyDefault));
  const std::size_t rest = out.size() - in.size();
  if (rest == 0) return;
  if (out.memory == Memory::device)
    GPRPROC_CUDA_CHECK(cudaMemset(out.samples + in.size(), 0, rest * sizeof(float)));
  else
    std::fill(out.samples + in.size(), out.samples + out.size(), 0.0f);
}

}  // namespace gprproc::cuda_backend
