#pragma once
// Shared by the preprocessing and gain kernels (cuda/filters*.cu, cuda/gain.cu):
// a device flag that kernels raise when they read a NaN/Inf sample (device
// views are not checked on the host), and launch-size helpers.
#include <cuda_runtime.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "launch_size.hpp"
#include "shared_memory.hpp"
#include "gprproc/error.hpp"

namespace gprproc::cuda_backend {

class NonFiniteFlag {
 public:
  NonFiniteFlag() : flag_(1) { GPRPROC_CUDA_CHECK(cudaMemsetAsync(flag_.get(), 0, sizeof(int))); }
  int* get() const { return flag_.get(); }
  // Waits for the stream; throws InvalidArgument(non_finite) when a kernel raised the flag.
  void check(const std::string& operation, const std::string& what = "input holds a non-finite (NaN or Inf) sample",
             cudaStream_t stream = nullptr) const {
    int raised = 0;
    GPRPROC_CUDA_CHECK(cudaMemcpyAsync(&raised, flag_.get(), sizeof(int), cudaMemcpyDeviceToHost, stream));
    GPRPROC_CUDA_CHECK(cudaStreamSynchronize(stream));
    if (raised)
      throw InvalidArgument(operation + ": " + what + "; clean the data first", ErrorCode::non_finite);
  }

 private:
  DeviceBuffer<int> flag_;
};

// Per-trace kernels (a reduction or a running window down each trace) use
// blocks of kTraceTile adjacent traces x kRowGroups groups of rows: a warp
// reads 32 adjacent traces of one row (coalesced), and 1024 threads share a
// tile of 32 traces, so a field B-scan of 4096 traces still fills the GPU
// (one thread per trace left 4096 threads to walk 1024 rows each in turn).
constexpr unsigned int kTraceTile = 32;
constexpr unsigned int kRowGroups = 32;

inline dim3 trace_tile_grid(std::size_t n_traces) { return dim3(blocks_for(n_traces, kTraceTile)); }
inline dim3 trace_tile_block() { return dim3(kTraceTile, kRowGroups); }

// Staging: a block may first copy its kTraceTile traces into shared memory
// (every sample read from global memory once, then the reduction and the
// running windows read shared memory; in place is then safe too, since the
// whole tile is read before any of it is written). The bytes of the tile, or
// 0 where the traces are too long for this device's shared memory (the kernels
// then read global memory, twice or through the running window).
constexpr std::size_t kStagedStaticBytes = 10 * 1024;  // the kernels' static shared memory, with margin

// GPRPROC_CUDA_STAGE_TRACES=0 (an experiment, read at every call) turns
// staging off. Why try it: a 1024-sample tile is 128 KiB, so one block fills
// an SM's shared memory, and that block's loading and computing cannot
// overlap another block's (remove_dc reached 54% of the copy bandwidth on the
// H200). Unstaged, two blocks share an SM; remove_dc reads its traces twice
// (the second time from L2: 2 blocks x 132 SMs x 128 KiB fit in 50 MB) and the
// running windows read each sample three times. gprproc-bench times both
// (remove_dc_unstaged, dewow_unstaged, agc_unstaged).
inline bool trace_staging_wanted() {
  const char* value = std::getenv("GPRPROC_CUDA_STAGE_TRACES");
  return value == nullptr || std::strcmp(value, "0") != 0;
}

inline std::size_t staged_tile_bytes(std::size_t n_samples) {
  if (!trace_staging_wanted()) return 0;
  const std::size_t bytes = static_cast<std::size_t>(kTraceTile) * n_samples * sizeof(float);
  return bytes <= dynamic_shared_memory_room(kStagedStaticBytes) ? bytes : 0;
}

template <class Kernel>
void allow_staged_tile(Kernel kernel, std::size_t bytes) {
  allow_dynamic_shared_memory(kernel, bytes, kStagedStaticBytes);
}

#ifdef __CUDACC__
// The sum over threadIdx.y of `value` for this thread's trace (threadIdx.x),
// returned to every thread of the block. Called by all threads of the block.
__device__ inline double sum_over_row_groups(double value) {
  __shared__ double partial[kRowGroups][kTraceTile + 1];
  partial[threadIdx.y][threadIdx.x] = value;
  __syncthreads();
  double total = 0.0;
  for (unsigned int g = 0; g < kRowGroups; ++g) total += partial[g][threadIdx.x];  // same order in every thread
  __syncthreads();  // the buffer may be reused by a later call
  return total;
}

// Copies this block's traces (trace j of this thread's column, rows of row
// group threadIdx.y) into tile[i * kTraceTile + threadIdx.x]; inactive columns
// (j >= n_traces) hold zeros. Returns whether this thread read a NaN/Inf.
// The caller synchronises the block before reading the tile.
// Loads are issued kStageLoads at a time before their stores: one 1024-thread
// block fills an SM, and one 4-byte load in flight per thread is far from the
// bytes in flight that device memory needs to stream at full rate.
constexpr int kStageLoads = 8;
__device__ inline bool stage_trace_tile(const float* in, std::size_t ns, std::size_t nt, std::size_t j, bool active,
                                        float* tile) {
  bool bad = false;
  std::size_t i = threadIdx.y;
  for (; i + (kStageLoads - 1) * kRowGroups < ns; i += kStageLoads * kRowGroups) {
    float v[kStageLoads];
#pragma unroll
    for (int u = 0; u < kStageLoads; ++u) v[u] = active ? in[(i + u * kRowGroups) * nt + j] : 0.0f;
#pragma unroll
    for (int u = 0; u < kStageLoads; ++u) {
      bad = bad | !isfinite(v[u]);
      tile[(i + u * kRowGroups) * kTraceTile + threadIdx.x] = v[u];
    }
  }
  for (; i < ns; i += kRowGroups) {
    const float v = active ? in[i * nt + j] : 0.0f;
    bad = bad | !isfinite(v);
    tile[i * kTraceTile + threadIdx.x] = v;
  }
  return bad;
}

// 1 / (a running window's length), remade only when the length changes
// (near a trace's ends): a double division per sample cost more than the rest
// of a dewow or AGC sample's work.
class WindowReciprocal {
 public:
  __device__ double of(long length) {
    if (length != length_) {
      length_ = length;
      inverse_ = 1.0 / static_cast<double>(length);
    }
    return inverse_;
  }

 private:
  long length_ = 0;
  double inverse_ = 0.0;
};

// The rows [begin, end) of row group threadIdx.y: contiguous runs, so a running
// window slides along each run.
struct RowRun {
  long begin, end;
};
__device__ inline RowRun row_run(long n_rows) {
  const long length = (n_rows + kRowGroups - 1) / kRowGroups;
  const long begin = static_cast<long>(threadIdx.y) * length;
  return {begin < n_rows ? begin : n_rows, begin + length < n_rows ? begin + length : n_rows};
}
#endif

}  // namespace gprproc::cuda_backend
