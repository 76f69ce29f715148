#pragma once
// CUDA-event timing for the device suites (included from .cu files only).
#include <cuda_runtime.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "bench_harness.hpp"
#include "cuda_check.hpp"

namespace gprproc::bench {

// Median of the event-timed runs after one warm-up, stopping early once the
// timed runs exceed options.budget_seconds. Events on the default stream
// bracket the whole call, so host-side staging inside it is included.
inline double event_seconds(const std::function<void()>& run, const Options& options) {
  cudaEvent_t start, stop;
  GPRPROC_CUDA_CHECK(cudaEventCreate(&start));
  GPRPROC_CUDA_CHECK(cudaEventCreate(&stop));
  run();
  GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
  std::vector<double> times;
  double total = 0.0;
  for (int r = 0; r < std::max(1, options.repetitions); ++r) {
    GPRPROC_CUDA_CHECK(cudaEventRecord(start));
    run();
    GPRPROC_CUDA_CHECK(cudaEventRecord(stop));
    GPRPROC_CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0.0f;
    GPRPROC_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    times.push_back(ms * 1e-3);
    total += times.back();
    if (total >= options.budget_seconds) break;
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// FP32 lane operations per second of the current device (bench_device_info_cuda.cu).
double fp32_issue_limit();

}  // namespace gprproc::bench
