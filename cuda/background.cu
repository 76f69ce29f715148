// CUDA mean-trace, moving-mean and moving-median background removal.
//
// Rows (time samples) are independent and contiguous along traces. The mean
// trace uses one warp per row. The moving filters give each block one row and
// a tile of consecutive output traces, and stage the tile plus its window
// halo in shared memory once:
// - moving mean: a block-wide prefix sum (double) of the staged segment, so
//   every window sum is one difference, whatever the window;
// - moving median: the staged segment is sorted once (bitonic sort of keys
//   value|position in shared memory), then each thread walks the sorted keys
//   and counts those inside its own window until it reaches the median rank
//   (detail::select_window_median). Sorting is shared by the whole tile;
//   docs/BACKGROUND.md explains the choice.
// Windows too wide for shared memory fall back to the CPU code on a host copy.
#include <cuda_runtime.h>

#include <cub/block/block_scan.cuh>

#include <algorithm>
#include <vector>

#include "background_cpu.hpp"
#include "background_cuda.hpp"
#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gprproc/detail/background_math.hpp"
#include "gprproc/error.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr int kWarpsPerBlock = 8;           // mean trace: rows per block
constexpr int kMeanThreads = 256;           // moving mean: threads per block ...
constexpr long long kMeanTile = 1024;       // ... and output traces per block
constexpr int kMedianThreads = 128;         // moving median: threads = output traces per block

__global__ void mean_trace_kernel(const float* in, float* out, long long m, long long n, int* non_finite) {
  const int lane = threadIdx.x & 31;
  const long long row = static_cast<long long>(blockIdx.x) * kWarpsPerBlock + (threadIdx.x >> 5);
  if (row >= m) return;  // uniform per warp, so the shuffles below see full warps
  const float* x = in + row * n;
  float* y = out + row * n;
  double sum = 0.0;
  bool bad = false;
  for (long long j = lane; j < n; j += 32) {
    const float v = x[j];
    bad |= !isfinite(v);
    sum += v;
  }
  for (int offset = 16; offset > 0; offset >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, offset);
  if (__any_sync(0xffffffffu, bad) && lane == 0) atomicExch(non_finite, 1);
  const float mean = static_cast<float>(sum / static_cast<double>(n));
  for (long long j = lane; j < n; j += 32) y[j] = x[j] - mean;  // in place: read before written, same thread
}

__global__ void moving_mean_kernel(const float* __restrict__ in, float* __restrict__ out, long long n,
                                   long long tiles_per_row, long long w, int* non_finite) {
  using Scan = cub::BlockScan<double, kMeanThreads>;
  __shared__ typename Scan::TempStorage scan_storage;
  extern __shared__ double shared[];
  const long long row = blockIdx.x / tiles_per_row;
  const long long a = (blockIdx.x % tiles_per_row) * kMeanTile;
  const long long b = min(a + kMeanTile, n);
  const long long lo = detail::window_begin(a, w);
  const long long length = detail::window_end(b - 1, n, w) - lo;
  double* prefix = shared;                                   // length + 1
  float* values = reinterpret_cast<float*>(prefix + length + 1);  // length
  const float* x = in + row * n;

  bool bad = false;
  for (long long k = threadIdx.x; k < length; k += kMeanThreads) {
    const float v = x[lo + k];
    bad |= !isfinite(v);
    values[k] = v;
  }
  if (bad) atomicExch(non_finite, 1);
  __syncthreads();

  // Each thread sums a contiguous segment; a block scan of the segment sums
  // gives every segment its offset; then the segment's prefixes are written.
  const long long segment = (length + kMeanThreads - 1) / kMeanThreads;
  const long long k0 = min(static_cast<long long>(threadIdx.x) * segment, length);
  const long long k1 = min(k0 + segment, length);
  double local = 0.0;
  for (long long k = k0; k < k1; ++k) local += values[k];
  double running = 0.0;
  Scan(scan_storage).ExclusiveSum(local, running);
  if (threadIdx.x == 0) prefix[0] = 0.0;
  for (long long k = k0; k < k1; ++k) {
    running += values[k];
    prefix[k + 1] = running;
  }
  __syncthreads();

  float* y = out + row * n;
  for (long long j = a + threadIdx.x; j < b; j += kMeanThreads) {
    const long long s = detail::window_begin(j, w) - lo;
    const long long e = detail::window_end(j, n, w) - lo;
    const double mean = (prefix[e] - prefix[s]) / static_cast<double>(e - s);
    y[j] = values[j - lo] - static_cast<float>(mean);
  }
}

__global__ void moving_median_kernel(const float* __restrict__ in, float* __restrict__ out, long long n,
                                     long long tiles_per_row, long long w, unsigned padded, int* non_finite) {
  extern __shared__ std::uint64_t keys[];  // `padded` (a power of two) keys
  const long long row = blockIdx.x / tiles_per_row;
  const long long a = (blockIdx.x % tiles_per_row) * kMedianThreads;
  const long long b = min(a + kMedianThreads, n);
  const long long lo = detail::window_begin(a, w);
  const unsigned length = static_cast<unsigned>(detail::window_end(b - 1, n, w) - lo);
  const float* x = in + row * n;

  bool bad = false;
  for (unsigned k = threadIdx.x; k < padded; k += kMedianThreads) {
    if (k < length) {
      const float v = x[lo + k];
      bad |= !isfinite(v);
      keys[k] = detail::median_sort_key(__float_as_uint(v), k);
    } else {
      keys[k] = ~std::uint64_t{0};  // padding sorts last and is never inside a window
    }
  }
  if (bad) atomicExch(non_finite, 1);

  // Bitonic sort, ascending. Pair t compares positions i and i + stride, with
  // i = 2t - (t mod stride); the run of `size` containing i sorts ascending
  // when bit `size` of i is clear.
  for (unsigned size = 2; size <= padded; size <<= 1) {
    for (unsigned stride = size >> 1; stride > 0; stride >>= 1) {
      __syncthreads();
      for (unsigned t = threadIdx.x; t < padded / 2; t += kMedianThreads) {
        const unsigned i = 2 * t - (t & (stride - 1));
        const unsigned k = i + stride;
        const std::uint64_t p = keys[i], q = keys[k];
        const bool ascending = (i & size) == 0;
        if ((p > q) == ascending) {
          keys[i] = q;
          keys[k] = p;
        }
      }
    }
  }
  __syncthreads();

  const long long j = a + threadIdx.x;
  if (j < b) {
    const long long s = detail::window_begin(j, w);
    const long long e = detail::window_end(j, n, w);
    std::uint32_t low = 0, high = 0;
    detail::select_window_median(keys, length, static_cast<std::uint32_t>(s - lo), static_cast<std::uint32_t>(e - s),
                                 &low, &high);
    const float median = detail::median_of_middles(__uint_as_float(low), __uint_as_float(high));
    out[row * n + j] = x[j] - median;
  }
}

__global__ void count_non_finite_kernel(const float* x, long long count, int* non_finite) {
  bool bad = false;
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x)
    bad |= !isfinite(x[k]);
  if (bad) atomicExch(non_finite, 1);
}

// A device flag the kernels raise on NaN/Inf input; raise() throws after the kernel.
class NonFiniteFlag {
 public:
  NonFiniteFlag() : flag_(1) { GPRPROC_CUDA_CHECK(cudaMemsetAsync(flag_.get(), 0, sizeof(int))); }
  int* get() const { return flag_.get(); }
  void throw_if_raised(const char* what) const {
    int raised = 0;
    GPRPROC_CUDA_CHECK(cudaMemcpy(&raised, flag_.get(), sizeof(int), cudaMemcpyDeviceToHost));
    if (raised)
      throw InvalidArgument(std::string(what) + " holds non-finite (NaN or Inf) samples; clean the data first",
                            ErrorCode::non_finite);
  }

 private:
  DeviceBuffer<int> flag_;
};

bool overlaps(ConstBScanView in, BScanView out) {
  if (in.memory != Memory::device || out.memory != Memory::device) return false;
  const float* a = in.samples;
  const float* b = out.samples;
  return a < b + out.size() && b < a + in.size();
}

// Tiled kernels read a halo other blocks write: in-place device data is copied first.
class TiledInput {
 public:
  TiledInput(ConstBScanView in, BScanView out) : input_(in) {
    if (overlaps(in, out)) {
      copy_ = DeviceBuffer<float>(in.size());
      GPRPROC_CUDA_CHECK(
          cudaMemcpyAsync(copy_.get(), in.samples, in.size() * sizeof(float), cudaMemcpyDeviceToDevice));
    }
  }
  const float* get() const { return copy_.get() ? copy_.get() : input_.get(); }

 private:
  DeviceInput input_;
  DeviceBuffer<float> copy_;
};

// Dynamic shared memory a block may have, less a margin for the kernels' static shared memory.
std::size_t shared_memory_limit() {
  int device = 0, limit = 0;
  GPRPROC_CUDA_CHECK(cudaGetDevice(&device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  return static_cast<std::size_t>(limit) - 4096;
}

// Above the default 48 KiB (less room for the kernel's static shared memory)
// a kernel must opt in to more dynamic shared memory.
template <class Kernel>
void allow_shared_memory(Kernel kernel, std::size_t bytes) {
  if (bytes > 44 * 1024)
    GPRPROC_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                            static_cast<int>(bytes)));
}

// The CPU algorithm on a host copy, for windows too wide for shared memory.
template <class CpuFilter>
void on_host(ConstBScanView in, BScanView out, CpuFilter filter) {
  std::vector<float> host(in.size());
  copy_to_host(in, host.data());
  filter(ConstBScanView{host.data(), in.n_samples, in.n_traces, Memory::host},
         BScanView{host.data(), in.n_samples, in.n_traces, Memory::host});
  copy_from_host(host.data(), out);
}

}  // namespace

void subtract_mean_trace(ConstBScanView in, BScanView out) {
  const DeviceInput input(in);
  DeviceOutput output(out);
  NonFiniteFlag flag;
  const long long m = static_cast<long long>(in.n_samples);
  const unsigned blocks = static_cast<unsigned>((m + kWarpsPerBlock - 1) / kWarpsPerBlock);
  mean_trace_kernel<<<blocks, 32 * kWarpsPerBlock>>>(input.get(), output.get(), m,
                                                     static_cast<long long>(in.n_traces), flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  flag.throw_if_raised("input B-scan");
  output.finish();
}

void subtract_moving_mean(ConstBScanView in, std::size_t window_traces, BScanView out) {
  const long long n = static_cast<long long>(in.n_traces);
  const long long w = static_cast<long long>(window_traces);
  const long long max_length = std::min(kMeanTile + w - 1, n);
  const std::size_t bytes = static_cast<std::size_t>(max_length + 1) * sizeof(double) +
                            static_cast<std::size_t>(max_length) * sizeof(float);
  if (bytes > shared_memory_limit()) {
    on_host(in, out, [&](ConstBScanView i, BScanView o) { cpu_backend::subtract_moving_mean(i, window_traces, o); });
    return;
  }
  const TiledInput input(in, out);
  DeviceOutput output(out);
  NonFiniteFlag flag;
  const long long tiles = (n + kMeanTile - 1) / kMeanTile;
  const long long blocks = tiles * static_cast<long long>(in.n_samples);
  allow_shared_memory(moving_mean_kernel, bytes);
  moving_mean_kernel<<<static_cast<unsigned>(blocks), kMeanThreads, bytes>>>(input.get(), output.get(), n, tiles, w,
                                                                          flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  flag.throw_if_raised("input B-scan");
  output.finish();
}

void subtract_moving_median(ConstBScanView in, std::size_t window_traces, BScanView out) {
  const long long n = static_cast<long long>(in.n_traces);
  const long long w = static_cast<long long>(window_traces);
  const long long max_length = std::min(static_cast<long long>(kMedianThreads) + w - 1, n);
  unsigned padded = 2;
  while (padded < max_length) padded <<= 1;
  const std::size_t bytes = static_cast<std::size_t>(padded) * sizeof(std::uint64_t);
  if (bytes > shared_memory_limit()) {
    on_host(in, out,
            [&](ConstBScanView i, BScanView o) { cpu_backend::subtract_moving_median(i, window_traces, o); });
    return;
  }
  const TiledInput input(in, out);
  DeviceOutput output(out);
  NonFiniteFlag flag;
  const long long tiles = (n + kMedianThreads - 1) / kMedianThreads;
  const long long blocks = tiles * static_cast<long long>(in.n_samples);
  allow_shared_memory(moving_median_kernel, bytes);
  moving_median_kernel<<<static_cast<unsigned>(blocks), kMedianThreads, bytes>>>(input.get(), output.get(), n, tiles,
                                                                                w, padded, flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  flag.throw_if_raised("input B-scan");
  output.finish();
}

void copy_to_host(ConstBScanView view, float* host) {
  if (view.memory == Memory::host) {
    std::copy(view.samples, view.samples + view.size(), host);
    return;
  }
  GPRPROC_CUDA_CHECK(cudaMemcpy(host, view.samples, view.size() * sizeof(float), cudaMemcpyDeviceToHost));
}

void copy_from_host(const float* host, BScanView view) {
  if (view.memory == Memory::host) {
    if (host != view.samples) std::copy(host, host + view.size(), view.samples);
    return;
  }
  GPRPROC_CUDA_CHECK(cudaMemcpy(view.samples, host, view.size() * sizeof(float), cudaMemcpyHostToDevice));
}

void check_finite_device(ConstBScanView view, const char* what) {
  if (view.memory != Memory::device) return;
  NonFiniteFlag flag;
  const long long count = static_cast<long long>(view.size());
  const unsigned blocks = static_cast<unsigned>(std::min<long long>((count + 255) / 256, 4096));
  count_non_finite_kernel<<<blocks, 256>>>(view.samples, count, flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  flag.throw_if_raised(what);
}

}  // namespace gprproc::cuda_backend
