// CUDA mean-trace, moving-mean and moving-median background removal.
//
// Rows (time samples) are independent and contiguous along traces. The mean
// trace holds a row of up to 16384 traces in one block's registers (one read,
// one write: a copy's traffic); longer rows are summed in chunks by parallel
// blocks, then subtracted element-wise. The moving filters give each block one row and
// a tile of consecutive output traces, and stage the tile plus its window
// halo in shared memory once:
// - moving mean: a block-wide prefix sum (double) of the staged segment, so
//   every window sum is one difference, whatever the window;
// - moving median, windows up to 64 traces: each thread slides a window kept
//   sorted in registers along 16 consecutive outputs (moving_median_small_kernel);
// - wider windows: the staged segment is sorted once (bitonic sort of keys
//   value|position in shared memory), then each thread walks the sorted keys
//   and counts those inside its own window until it reaches the median rank
//   (detail::select_window_median). Sorting is shared by the whole tile;
//   docs/BACKGROUND.md explains the choice.
// Windows too wide for shared memory fall back to the CPU code on a host copy.
#include <cuda_runtime.h>

#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>

#include <algorithm>
#include <vector>

#include "background_cpu.hpp"
#include "background_cuda.hpp"
#include "cuda_check.hpp"
#include "preprocessing_cuda_common.hpp"
#include "device_buffer.hpp"
#include "launch_size.hpp"
#include "shared_memory.hpp"
#include "sorted_window.hpp"
#include "gprproc/detail/background_math.hpp"
#include "gprproc/error.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr int kRowThreads = 256;            // mean trace, rows held on chip: threads per block (a row each) ...
constexpr int kMaxRowValues = 64;           // ... and values per thread at most: rows up to 16384 traces
constexpr int kRowSumThreads = 256;         // mean trace, longer rows: threads per block of the row sums ...
constexpr long long kRowChunk = 8192;       // ... and traces per block
constexpr int kMeanThreads = 256;           // moving mean: threads per block ...
constexpr long long kMeanTile = 4096;       // ... and output traces per block (16 per thread: amortises the block scan)
constexpr int kMedianThreads = 128;         // moving median: threads per block ...
constexpr int kMedianRun = 16;              // ... and consecutive outputs per thread (windows <= 64 traces)

// Mean trace of rows that fit a block: the row is read once into registers
// (kValues per thread, coalesced), summed in double, and written back minus
// its mean, so device memory sees one read and one write per sample. The
// double sum of finite floats cannot overflow, so a non-finite sum is the
// NaN/Inf check. In place is safe: a block reads its whole row before writing.
template <int kValues>
__global__ void __launch_bounds__(kRowThreads)
    subtract_resident_row_means_kernel(const float* in, long long m, long long n, float* out, int* non_finite) {
  using Reduce = cub::BlockReduce<double, kRowThreads>;
  __shared__ typename Reduce::TempStorage storage;
  __shared__ float row_mean;
  for (long long row = blockIdx.x; row < m; row += gridDim.x) {
    const float* x = in + row * n;
    float values[kValues];
#pragma unroll
    for (int k = 0; k < kValues; ++k) {
      const long long j = static_cast<long long>(k) * kRowThreads + threadIdx.x;
      values[k] = j < n ? x[j] : 0.0f;
    }
    double sum = 0.0;
#pragma unroll
    for (int k = 0; k < kValues; ++k) sum += values[k];
    const double total = Reduce(storage).Sum(sum);
    if (threadIdx.x == 0) {
      if (!isfinite(total)) atomicExch(non_finite, 1);
      row_mean = static_cast<float>(total / static_cast<double>(n));
    }
    __syncthreads();
    const float mean = row_mean;
    float* y = out + row * n;
#pragma unroll
    for (int k = 0; k < kValues; ++k) {
      const long long j = static_cast<long long>(k) * kRowThreads + threadIdx.x;
      if (j < n) y[j] = values[k] - mean;
    }
    __syncthreads();  // the reduction's storage and row_mean serve the next row
  }
}

template <int kValues>
void launch_resident_row_means(const float* in, long long m, long long n, float* out, int* non_finite) {
  if (static_cast<long long>(kValues) * kRowThreads < n) {
    if constexpr (kValues < kMaxRowValues) {
      launch_resident_row_means<2 * kValues>(in, m, n, out, non_finite);
      return;
    } else {
      throw InvalidArgument("internal: rows of " + std::to_string(n) + " traces do not fit the resident mean kernel");
    }
  }
  const unsigned blocks = static_cast<unsigned>(std::min<long long>(m, 1LL << 20));
  subtract_resident_row_means_kernel<kValues><<<blocks, kRowThreads>>>(in, m, n, out, non_finite);
  GPRPROC_CUDA_CHECK_LAUNCH();
}

// Mean trace of longer rows in three steps, so that a B-scan of few samples and many traces
// (the long profile, a 2 GiB batch) still spreads over the whole GPU: partial
// sums of chunks of kRowChunk traces (one block each), the row means (one
// thread per row, chunks summed in order: deterministic), and an element-wise
// subtraction. In place is safe: every sum is complete before any write.
__global__ void row_partial_sums_kernel(const float* in, long long n, long long chunks, double* partial,
                                        int* non_finite) {
  using Reduce = cub::BlockReduce<double, kRowSumThreads>;
  __shared__ typename Reduce::TempStorage storage;
  const long long row = blockIdx.x / chunks;
  const long long a = (blockIdx.x % chunks) * kRowChunk;
  const long long b = min(a + kRowChunk, n);
  const float* x = in + row * n;
  double sum = 0.0;
  bool bad = false;
  for (long long j = a + threadIdx.x; j < b; j += kRowSumThreads) {
    const float v = x[j];
    bad |= !isfinite(v);
    sum += v;
  }
  const double total = Reduce(storage).Sum(sum);
  if (threadIdx.x == 0) partial[blockIdx.x] = total;
  if (bad) atomicExch(non_finite, 1);
}

__global__ void row_means_kernel(const double* partial, long long m, long long n, long long chunks, float* means) {
  const long long row = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  if (row >= m) return;
  double total = 0.0;
  for (long long c = 0; c < chunks; ++c) total += partial[row * chunks + c];
  means[row] = static_cast<float>(total / static_cast<double>(n));
}

__global__ void subtract_row_means_kernel(const float* in, const float* __restrict__ means, long long m, long long n,
                                          float* out) {
  for (long long row = blockIdx.y; row < m; row += gridDim.y) {
    const float mean = means[row];
    for (long long j = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; j < n;
         j += static_cast<long long>(gridDim.x) * blockDim.x)
      out[row * n + j] = in[row * n + j] - mean;
  }
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

  // A window holds w traces except near a row's ends: multiply by 1 / w
  // there, divide only at the ends (a double division per output would cost
  // more than the rest of the output's work).
  float* y = out + row * n;
  const double inv_w = 1.0 / static_cast<double>(w);
  for (long long j = a + threadIdx.x; j < b; j += kMeanThreads) {
    const long long s = detail::window_begin(j, w) - lo;
    const long long e = detail::window_end(j, n, w) - lo;
    const double sum = prefix[e] - prefix[s];
    const double mean = e - s == w ? sum * inv_w : sum / static_cast<double>(e - s);
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

// Moving median for windows of at most P traces (P = 8, 16, 24, 32, 48, 64):
// each thread takes kMedianRun consecutive outputs of one row. It sorts the
// first window in registers (sorted_window_sort, a pruned odd-even merge
// network), then slides: in the interior one combined removal and insertion
// per output (sorted_window_replace), at the row's ends a removal or an
// insertion (cuda/sorted_window.hpp); each a fixed sequence of compares and
// selects with no data-dependent branches. The row segment is staged once
// in shared memory, skewed by one slot per 32 so that the threads' strided
// reads fall in different banks. Windows cut at the ends hold fewer values;
// the empty slots are +Inf, which sorts last.
template <int P>
__global__ void moving_median_small_kernel(const float* __restrict__ in, float* __restrict__ out, long long n,
                                           long long tiles_per_row, long long w, int* non_finite) {
  extern __shared__ float segment[];
  const auto at = [](long long k) { return k + (k >> 5); };  // the skew
  const long long per_block = static_cast<long long>(kMedianThreads) * kMedianRun;
  const long long row = blockIdx.x / tiles_per_row;
  const long long a = (blockIdx.x % tiles_per_row) * per_block;
  const long long b = min(a + per_block, n);
  const long long lo = detail::window_begin(a, w);
  const long long length = detail::window_end(b - 1, n, w) - lo;
  const float* x = in + row * n;
  bool bad = false;
  for (long long k = threadIdx.x; k < length; k += kMedianThreads) {
    const float v = x[lo + k];
    bad |= !isfinite(v);
    segment[at(k)] = v;
  }
  if (bad) atomicExch(non_finite, 1);
  __syncthreads();
  const long long j0 = a + static_cast<long long>(threadIdx.x) * kMedianRun;
  if (j0 >= b) return;
  const long long j1 = min(j0 + kMedianRun, b);
  long long s = detail::window_begin(j0, w) - lo;
  long long e = detail::window_end(j0, n, w) - lo;
  int count = static_cast<int>(e - s);
  float v[P];
#pragma unroll
  for (int k = 0; k < P; ++k) v[k] = k < count ? segment[at(min(s + k, length - 1))] : INFINITY;
  sorted_window_sort<P>(v);
  for (long long j = j0; j < j1; ++j) {
    if (j > j0) {
      const long long s_next = detail::window_begin(j, w) - lo;
      const long long e_next = detail::window_end(j, n, w) - lo;
      if (s_next > s && e_next > e) {  // the interior: one value leaves, one enters
        sorted_window_replace<P>(v, segment[at(s)], segment[at(e)]);
        s = s_next;
        e = e_next;
      } else if (s_next > s) {
        sorted_window_remove<P>(v, segment[at(s)]);
        --count;
        s = s_next;
      } else if (e_next > e) {
        sorted_window_insert<P>(v, segment[at(e)]);
        ++count;
        e = e_next;
      }
    }
    float low, high;
    sorted_window_ranks<P>(v, static_cast<int>(detail::median_rank_low(count)),
                           static_cast<int>(detail::median_rank_high(count)), &low, &high);
    out[row * n + j] = segment[at(j - lo)] - detail::median_of_middles(low, high);
  }
}

__global__ void count_non_finite_kernel(const float* x, long long count, int* non_finite) {
  bool bad = false;
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x)
    bad |= !isfinite(x[k]);
  if (bad) atomicExch(non_finite, 1);
}

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

// Room left for the kernels' static shared memory (the block scan's storage).
constexpr std::size_t kStaticSharedBytes = 4096;

std::size_t shared_memory_limit() { return dynamic_shared_memory_room(kStaticSharedBytes); }

template <class Kernel>
void allow_shared_memory(Kernel kernel, std::size_t bytes) {
  allow_dynamic_shared_memory(kernel, bytes, kStaticSharedBytes);
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
  const long long n = static_cast<long long>(in.n_traces);
  if (n <= static_cast<long long>(kMaxRowValues) * kRowThreads) {
    launch_resident_row_means<4>(input.get(), m, n, output.get(), flag.get());
    flag.check("remove_background", "input B-scan holds non-finite (NaN or Inf) samples");
    output.finish();
    return;
  }
  const long long chunks = (n + kRowChunk - 1) / kRowChunk;
  DeviceBuffer<double> partial(static_cast<std::size_t>(m * chunks));
  DeviceBuffer<float> means(static_cast<std::size_t>(m));
  for_row_chunks(m, chunks, [&](long long first, long long rows) {
    row_partial_sums_kernel<<<static_cast<unsigned>(rows * chunks), kRowSumThreads>>>(
        input.get() + first * n, n, chunks, partial.get() + first * chunks, flag.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
  });
  row_means_kernel<<<static_cast<unsigned>((m + 255) / 256), 256>>>(partial.get(), m, n, chunks, means.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  const long long across = std::min<long long>((n + 255) / 256, 64);
  const dim3 grid(static_cast<unsigned>(across), static_cast<unsigned>(std::min<long long>(m, 65535)));
  subtract_row_means_kernel<<<grid, 256>>>(input.get(), means.get(), m, n, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  flag.check("remove_background", "input B-scan holds non-finite (NaN or Inf) samples");
  output.finish();
}

void subtract_moving_mean(ConstBScanView in, std::size_t window_traces, BScanView out) {
  const long long n = static_cast<long long>(in.n_traces);
  const long long w = static_cast<long long>(window_traces);
  // A tile's outputs plus w / 2 traces each side (w + 1 in all for an even w,
  // which the API rejects but the kernel handles).
  const long long max_length = std::min(kMeanTile + 2 * (w / 2), n);
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
  allow_shared_memory(moving_mean_kernel, bytes);
  for_row_chunks(static_cast<long long>(in.n_samples), tiles, [&](long long first, long long rows) {
    moving_mean_kernel<<<static_cast<unsigned>(rows * tiles), kMeanThreads, bytes>>>(
        input.get() + first * n, output.get() + first * n, n, tiles, w, flag.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
  });
  flag.check("remove_background", "input B-scan holds non-finite (NaN or Inf) samples");
  output.finish();
}

namespace {

// The register-sort kernel for windows of up to P traces.
template <int P>
void launch_small_median(const float* in, float* out, long long m, long long n, long long w, int* flag) {
  const long long per_block = static_cast<long long>(kMedianThreads) * kMedianRun;
  const long long tiles = (n + per_block - 1) / per_block;
  const long long length = std::min<long long>(per_block + w, n);  // segment plus halo (skewed below)
  const std::size_t bytes = static_cast<std::size_t>(length + length / 32 + 1) * sizeof(float);
  for_row_chunks(m, tiles, [&](long long first, long long rows) {
    moving_median_small_kernel<P><<<static_cast<unsigned>(rows * tiles), kMedianThreads, bytes>>>(
        in + first * n, out + first * n, n, tiles, w, flag);
    GPRPROC_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace

void subtract_moving_median(ConstBScanView in, std::size_t window_traces, BScanView out) {
  const long long n = static_cast<long long>(in.n_traces);
  const long long w = static_cast<long long>(window_traces);
  const long long m = static_cast<long long>(in.n_samples);
  const long long span = 2 * (w / 2) + 1;  // the most traces a window holds
  if (span <= 64) {
    const TiledInput input(in, out);
    DeviceOutput output(out);
    NonFiniteFlag flag;
    // Slots cost compares on every slide: P is the span rounded up to 8, 16,
    // 24, 32, 48 or 64 (24 and 48 hold the common windows 21 and 41 with a
    // quarter fewer slots than 32 and 64).
    if (span <= 8) launch_small_median<8>(input.get(), output.get(), m, n, w, flag.get());
    else if (span <= 16) launch_small_median<16>(input.get(), output.get(), m, n, w, flag.get());
    else if (span <= 24) launch_small_median<24>(input.get(), output.get(), m, n, w, flag.get());
    else if (span <= 32) launch_small_median<32>(input.get(), output.get(), m, n, w, flag.get());
    else if (span <= 48) launch_small_median<48>(input.get(), output.get(), m, n, w, flag.get());
    else launch_small_median<64>(input.get(), output.get(), m, n, w, flag.get());
    flag.check("remove_background", "input B-scan holds non-finite (NaN or Inf) samples");
    output.finish();
    return;
  }
  // Wider windows: sort the staged segment once per block (moving_median_kernel).
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
  allow_shared_memory(moving_median_kernel, bytes);
  for_row_chunks(m, tiles, [&](long long first, long long rows) {
    moving_median_kernel<<<static_cast<unsigned>(rows * tiles), kMedianThreads, bytes>>>(
        input.get() + first * n, output.get() + first * n, n, tiles, w, padded, flag.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
  });
  flag.check("remove_background", "input B-scan holds non-finite (NaN or Inf) samples");
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

void check_finite_device(ConstBScanView view, const char* operation, const char* what) {
  if (view.memory != Memory::device) return;
  NonFiniteFlag flag;
  const long long count = static_cast<long long>(view.size());
  const unsigned blocks = static_cast<unsigned>(std::min<long long>((count + 255) / 256, 4096));
  count_non_finite_kernel<<<blocks, 256>>>(view.samples, count, flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  flag.check(operation, std::string(what) + " holds non-finite (NaN or Inf) samples");
}

}  // namespace gprproc::cuda_backend
