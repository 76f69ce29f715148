// CUDA kernels of DC removal, dewow, first-break picking and trace shifting.
// One thread per trace for the per-trace scans: adjacent threads read adjacent
// traces of one row, so every row read is coalesced.
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

__global__ void remove_dc_kernel(const float* in, float* out, std::size_t ns, std::size_t nt, std::size_t first,
                                 std::size_t last, int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  double sum = 0.0;
  for (std::size_t i = first; i <= last; ++i) sum += in[i * nt + j];
  const float mean = static_cast<float>(sum / static_cast<double>(last - first + 1));
  bool bad = false;
  // The thread reads its whole trace before (in place) or while writing it.
  for (std::size_t i = 0; i < ns; ++i) {
    const float x = in[i * nt + j];
    bad = bad || !isfinite(x);
    out[i * nt + j] = x - mean;
  }
  if (bad) *non_finite = 1;
}

__global__ void dewow_kernel(const float* __restrict__ in, float* __restrict__ out, std::size_t ns,
                             std::size_t nt, long h, int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  const long n = static_cast<long>(ns);
  double sum = 0.0;
  const long first_hi = h < n - 1 ? h : n - 1;
  for (long i = 0; i <= first_hi; ++i) sum += in[static_cast<std::size_t>(i) * nt + j];
  bool bad = false;
  for (long i = 0; i < n; ++i) {
    if (i > 0) {
      if (i + h <= n - 1) sum += in[static_cast<std::size_t>(i + h) * nt + j];
      if (i - 1 - h >= 0) sum -= in[static_cast<std::size_t>(i - 1 - h) * nt + j];
    }
    const detail::IndexRange r = detail::running_window(i, h, n);
    const float x = in[static_cast<std::size_t>(i) * nt + j];
    bad = bad || !isfinite(x);
    out[static_cast<std::size_t>(i) * nt + j] = static_cast<float>(x - sum / static_cast<double>(r.hi - r.lo + 1));
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

// One thread per (trace, run of kRowsPerThread rows): the tap weights of a
// trace's (constant) shift are computed once per thread; a warp covers
// adjacent traces of one row, so the reads of each tap row are coalesced.
constexpr unsigned int kRowsPerThread = 64;

__global__ void shift_kernel(const float* __restrict__ in, float* __restrict__ out, std::size_t ns,
                             std::size_t nt, const double* shifts, int half_width, int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  const double base = floor(shifts[j]);
  const long whole = static_cast<long>(base);
  const bool exact = shifts[j] == base;
  float weights[2 * detail::kMaxSincHalfWidth];
  detail::sinc_weights(shifts[j] - base, half_width, weights);
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
  remove_dc_kernel<<<blocks_for(in.n_traces, kThreads), kThreads>>>(d_in.get(), d_out.get(), in.n_samples,
                                                                     in.n_traces, first_sample, last_sample,
                                                                     flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  flag.check("remove_dc");
}

void dewow(ConstBScanView in, std::size_t half_width, BScanView out) {
  DeviceInput d_in(in);
  DeviceOutput d_out(out);
  // In place on device memory: the kernel still needs samples it has
  // overwritten, so it reads a copy.
  DeviceBuffer<float> copy;
  const float* src = d_in.get();
  if (static_cast<const void*>(src) == static_cast<const void*>(d_out.get())) {
    copy = DeviceBuffer<float>(in.size());
    GPRPROC_CUDA_CHECK(cudaMemcpyAsync(copy.get(), src, in.size() * sizeof(float), cudaMemcpyDeviceToDevice));
    src = copy.get();
  }
  NonFiniteFlag flag;
  dewow_kernel<<<blocks_for(in.n_traces, kThreads), kThreads>>>(src, d_out.get(), in.n_samples, in.n_traces,
                                                                 static_cast<long>(half_width), flag.get());
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
  const dim3 grid(blocks_for(in.n_traces, kThreads), blocks_for(in.n_samples, kRowsPerThread));
  shift_kernel<<<grid, kThreads>>>(src, d_out.get(), in.n_samples, in.n_traces, d_shifts.get(), half_width,
                                   flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  flag.check("shift_traces");
}

}  // namespace gprproc::cuda_backend
