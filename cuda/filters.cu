// CUDA kernels of DC removal, dewow, first-break picking and trace shifting.
// Adjacent threads read adjacent traces of one row, so every row read is
// coalesced; DC removal and dewow split each trace among kRowGroups threads
// (preprocessing_cuda_common.hpp), picking keeps one thread per trace.
#include <cmath>
#include <vector>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "filters_cuda.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "preprocessing_cuda_common.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr unsigned int kThreads = 256;

// Block: kTraceTile traces x kRowGroups row groups (preprocessing_cuda_common.hpp).
// Staged: the tile is copied to shared memory first, so each sample is read
// from global memory once. Not staged (traces too long for shared memory):
// the sums read global memory and the subtraction reads it again, mostly from
// L2. Either way every sample of the tile is read before any is written (the
// __syncthreads in sum_over_row_groups), so in place is safe.
template <bool Staged>
__global__ void __launch_bounds__(kTraceTile* kRowGroups)
    remove_dc_kernel(const float* in, float* out, std::size_t ns, std::size_t nt, std::size_t first,
                     std::size_t last, int* non_finite) {
  extern __shared__ float tile[];
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(kTraceTile) + threadIdx.x;
  const bool active = j < nt;
  bool bad = false;
  if constexpr (Staged) {
    bad = stage_trace_tile(in, ns, nt, j, active, tile);
    __syncthreads();
  }
  const auto x = [&](std::size_t i) -> float {
    if constexpr (Staged) return tile[i * kTraceTile + threadIdx.x];
    else return in[i * nt + j];
  };
  double sum = 0.0;
  if (active)
    for (std::size_t i = first + threadIdx.y; i <= last; i += kRowGroups) sum += x(i);
  const float mean = static_cast<float>(sum_over_row_groups(sum) / static_cast<double>(last - first + 1));
  if (!active) return;
  for (std::size_t i = threadIdx.y; i < ns; i += kRowGroups) {
    const float v = x(i);
    bad = bad || !isfinite(v);
    out[i * nt + j] = v - mean;
  }
  if (bad) *non_finite = 1;
}

// Each row group slides the window down its own run of rows, starting from a
// directly summed window at the run's first row. Not staged, in place needs a
// copy of the input (the windows read samples other threads have written).
template <bool Staged>
__global__ void __launch_bounds__(kTraceTile* kRowGroups)
    dewow_kernel(const float* in, float* out, std::size_t ns, std::size_t nt, long h, int* non_finite) {
  extern __shared__ float tile[];
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(kTraceTile) + threadIdx.x;
  const bool active = j < nt;
  bool bad = false;
  if constexpr (Staged) {
    bad = stage_trace_tile(in, ns, nt, j, active, tile);
    __syncthreads();
  }
  if (!active) return;
  const auto x = [&](long i) -> float {
    if constexpr (Staged) return tile[static_cast<std::size_t>(i) * kTraceTile + threadIdx.x];
    else return in[static_cast<std::size_t>(i) * nt + j];
  };
  const long n = static_cast<long>(ns);
  const RowRun run = row_run(n);
  if (run.begin < run.end) {
    double sum = 0.0;
    WindowReciprocal reciprocal;
    const detail::IndexRange first = detail::running_window(run.begin, h, n);
    for (long i = first.lo; i <= first.hi; ++i) sum += x(i);
    for (long i = run.begin; i < run.end; ++i) {
      if (i > run.begin) {
        if (i + h <= n - 1) sum += x(i + h);
        if (i - 1 - h >= 0) sum -= x(i - 1 - h);
      }
      const detail::IndexRange r = detail::running_window(i, h, n);
      const float v = x(i);
      bad = bad || !isfinite(v);
      out[static_cast<std::size_t>(i) * nt + j] = static_cast<float>(v - sum * reciprocal.of(r.hi - r.lo + 1));
    }
  }
  if (bad) *non_finite = 1;
}

__global__ void pick_kernel(const float* in, std::size_t ns, std::size_t nt, int method, double threshold,
                            int half_width, double* picks, int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  bool bad = false;
  for (std::size_t i = 0; i < ns; ++i) bad = bad || !isfinite(in[i * nt + j]);
  if (bad) {
    *non_finite = 1;
    picks[j] = -1.0;
    return;
  }
  picks[j] = detail::pick_first_break(in + j, nt, static_cast<long>(ns), method, threshold, half_width);
}

// The tap weights of every trace's (constant) shift, tap-major
// (weights[t * nt + j], t = m + half_width - 1 as detail::sinc_weights): one
// thread per trace, the CPU's function. Made once per trace here instead of
// in each of the trace's ns / kRowsPerThread shifting threads.
__global__ void shift_weights_kernel(const double* __restrict__ shifts, std::size_t nt, int half_width,
                                     float* __restrict__ weights) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  float w[2 * detail::kMaxSincHalfWidth];
  detail::sinc_weights(shifts[j] - floor(shifts[j]), half_width, w);
  for (int t = 0; t < 2 * half_width; ++t) weights[static_cast<std::size_t>(t) * nt + j] = w[t];
}

// One thread per (trace, run of kRowsPerThread rows), the trace's weights
// read once from shift_weights_kernel's table; a warp covers adjacent traces
// of one row, so the reads of each tap row are coalesced.
constexpr unsigned int kRowsPerThread = 64;

__global__ void shift_kernel(const float* __restrict__ in, float* __restrict__ out, std::size_t ns,
                             std::size_t nt, const double* __restrict__ shifts, const float* __restrict__ table,
                             int half_width, int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  const double base = floor(shifts[j]);
  const long whole = static_cast<long>(base);
  const bool exact = shifts[j] == base;
  float weights[2 * detail::kMaxSincHalfWidth];
  for (int t = 0; t < 2 * half_width; ++t) weights[t] = table[static_cast<std::size_t>(t) * nt + j];
  const long n = static_cast<long>(ns);
  const std::size_t i_begin = static_cast<std::size_t>(blockIdx.y) * kRowsPerThread;
  const std::size_t i_end = i_begin + kRowsPerThread < ns ? i_begin + kRowsPerThread : ns;
  bool bad = false;
  for (std::size_t i = i_begin; i < i_end; ++i) {
    bad = bad || !isfinite(in[i * nt + j]);
    const long k0 = static_cast<long>(i) + whole;
    float v;
    if (exact)
      v = (k0 >= 0 && k0 < n) ? in[static_cast<std::size_t>(k0) * nt + j] : 0.0f;
    else
      v = detail::apply_sinc_weights(in + j, nt, n, k0, weights, half_width);
    out[i * nt + j] = v;
  }
  if (bad) *non_finite = 1;
}

}  // namespace

void remove_dc(ConstBScanView in, std::size_t first_sample, std::size_t last_sample, BScanView out) {
  DeviceInput d_in(in);
  DeviceOutput d_out(out);
  NonFiniteFlag flag;
  const std::size_t staged = staged_tile_bytes(in.n_samples);
  if (staged) {
    allow_staged_tile(remove_dc_kernel<true>, staged);
    remove_dc_kernel<true><<<trace_tile_grid(in.n_traces), trace_tile_block(), staged>>>(
        d_in.get(), d_out.get(), in.n_samples, in.n_traces, first_sample, last_sample, flag.get());
  } else {
    remove_dc_kernel<false><<<trace_tile_grid(in.n_traces), trace_tile_block()>>>(
        d_in.get(), d_out.get(), in.n_samples, in.n_traces, first_sample, last_sample, flag.get());
  }
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  flag.check("remove_dc");
}

void dewow(ConstBScanView in, std::size_t half_width, BScanView out) {
  DeviceInput d_in(in);
  DeviceOutput d_out(out);
  NonFiniteFlag flag;
  const long h = static_cast<long>(half_width);
  const std::size_t staged = staged_tile_bytes(in.n_samples);
  DeviceBuffer<float> copy;  // outlives the launch
  if (staged) {  // in place is safe: the block reads its whole tile first
    allow_staged_tile(dewow_kernel<true>, staged);
    dewow_kernel<true><<<trace_tile_grid(in.n_traces), trace_tile_block(), staged>>>(
        d_in.get(), d_out.get(), in.n_samples, in.n_traces, h, flag.get());
  } else {
    // In place on device memory: the windows still need samples other
    // threads have overwritten, so the kernel reads a copy.
    const float* src = d_in.get();
    if (static_cast<const void*>(src) == static_cast<const void*>(d_out.get())) {
      copy = DeviceBuffer<float>(in.size());
      GPRPROC_CUDA_CHECK(cudaMemcpyAsync(copy.get(), src, in.size() * sizeof(float), cudaMemcpyDeviceToDevice));
      src = copy.get();
    }
    dewow_kernel<false><<<trace_tile_grid(in.n_traces), trace_tile_block()>>>(src, d_out.get(), in.n_samples,
                                                                              in.n_traces, h, flag.get());
  }
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  flag.check("dewow");
}

void pick_first_breaks(ConstBScanView in, int method, double threshold, int half_width, std::size_t n_fft,
                       double* picks) {
  DeviceInput d_in(in);
  const std::size_t ns = in.n_samples, nt = in.n_traces;
  NonFiniteFlag flag;
  const float* traces = d_in.get();
  DeviceBuffer<float> envelope;
  if (method == 1) {  // threshold on the envelope: pick on the envelope itself
    envelope = DeviceBuffer<float>(in.size());
    hilbert_on_device(traces, ns, nt, n_fft, envelope.get(), nullptr, flag.get());
    traces = envelope.get();
  }
  DeviceBuffer<double> d_picks(nt);
  pick_kernel<<<blocks_for(nt, kThreads), kThreads>>>(traces, ns, nt, method, threshold, half_width, d_picks.get(),
                                                      flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_picks.copy_to_host(picks, nt);
  flag.check("pick_first_breaks");  // synchronises
}

void shift_traces(ConstBScanView in, const std::vector<double>& shifts, int half_width, BScanView out) {
  DeviceInput d_in(in);
  DeviceOutput d_out(out);
  DeviceBuffer<float> copy;
  const float* src = d_in.get();
  if (static_cast<const void*>(src) == static_cast<const void*>(d_out.get())) {
    copy = DeviceBuffer<float>(in.size());
    GPRPROC_CUDA_CHECK(cudaMemcpyAsync(copy.get(), src, in.size() * sizeof(float), cudaMemcpyDeviceToDevice));
    src = copy.get();
  }
  DeviceBuffer<double> d_shifts(shifts.size());
  d_shifts.copy_from_host(shifts.data(), shifts.size());
  NonFiniteFlag flag;
  const std::size_t n_weights = in.n_traces * static_cast<std::size_t>(2 * half_width);
  DeviceBuffer<float> weights(n_weights);
  shift_weights_kernel<<<blocks_for(in.n_traces, kThreads), kThreads>>>(d_shifts.get(), in.n_traces, half_width,
                                                                      weights.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  const dim3 grid(blocks_for(in.n_traces, kThreads), blocks_for(in.n_samples, kRowsPerThread));
  shift_kernel<<<grid, kThreads>>>(src, d_out.get(), in.n_samples, in.n_traces, d_shifts.get(), weights.get(),
                                   half_width, flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  flag.check("shift_traces");
}

}  // namespace gprproc::cuda_backend
