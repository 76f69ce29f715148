// CUDA kernels of the gains: an element-wise multiply/divide by a per-sample
// or per-element gain, and AGC with one thread per trace (coalesced rows) and
// running sums of squares.
#include <memory>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gain_cuda.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "gprproc/detail/gain_math.hpp"
#include "preprocessing_cuda_common.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr unsigned int kThreads = 256;

// Grid-stride over all elements; a gain of one column is read per row.
__global__ void gain_kernel(const float* in, const float* __restrict__ gain, bool per_sample, bool divide,
                            std::size_t ns, std::size_t nt, float* out, int* bad_input, int* bad_gain) {
  const std::size_t total = ns * nt;
  bool bad_x = false, bad_g = false;
  for (std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; k < total;
       k += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const float x = in[k];
    const float g = gain[per_sample ? k / nt : k];
    bad_x = bad_x || !isfinite(x);
    bad_g = bad_g || !isfinite(g) || g == 0.0f;
    out[k] = divide ? x / g : x * g;
  }
  if (bad_x) *bad_input = 1;
  if (bad_g) *bad_gain = 1;
}

__global__ void agc_kernel(const float* __restrict__ in, std::size_t ns, std::size_t nt, long h, double floor,
                           float* __restrict__ out, float* __restrict__ gain, int* non_finite) {
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (j >= nt) return;
  const long n = static_cast<long>(ns);
  double total = 0.0;
  bool bad = false;
  for (std::size_t i = 0; i < ns; ++i) {
    const double x = in[i * nt + j];
    bad = bad || !isfinite(x);
    total += x * x;
  }
  if (bad) *non_finite = 1;
  const double level = floor * sqrt(total / static_cast<double>(ns));
  double sum = 0.0;
  const long first_hi = h < n - 1 ? h : n - 1;
  for (long i = 0; i <= first_hi; ++i) {
    const double x = in[static_cast<std::size_t>(i) * nt + j];
    sum += x * x;
  }
  for (long i = 0; i < n; ++i) {
    if (i > 0) {
      if (i + h <= n - 1) {
        const double x = in[static_cast<std::size_t>(i + h) * nt + j];
        sum += x * x;
      }
      if (i - 1 - h >= 0) {
        const double x = in[static_cast<std::size_t>(i - 1 - h) * nt + j];
        sum -= x * x;
      }
    }
    const detail::IndexRange r = detail::running_window(i, h, n);
    const float g = detail::agc_gain(sum, r.hi - r.lo + 1, level);
    const std::size_t k = static_cast<std::size_t>(i) * nt + j;
    out[k] = in[k] * g;
    if (gain) gain[k] = g;
  }
}

unsigned int grid_stride_blocks(std::size_t count) {
  const std::size_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned int>(blocks < 65535 * 16 ? blocks : 65535 * 16);
}

}  // namespace

void apply_gain(ConstBScanView in, ConstBScanView gain, bool divide, BScanView out) {
  DeviceInput d_in(in);
  DeviceInput d_gain(gain);
  DeviceOutput d_out(out);
  NonFiniteFlag bad_input, bad_gain;
  gain_kernel<<<grid_stride_blocks(in.size()), kThreads>>>(d_in.get(), d_gain.get(), gain.n_traces == 1, divide,
                                                           in.n_samples, in.n_traces, d_out.get(), bad_input.get(),
                                                           bad_gain.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  const char* op = divide ? "remove_gain" : "apply_gain";
  bad_input.check(op);
  bad_gain.check(op, "the gain holds a zero or non-finite value");
}

void agc(ConstBScanView in, std::size_t half_width, double floor, BScanView out, BScanView gain) {
  DeviceInput d_in(in);
  DeviceOutput d_out(out);
  std::unique_ptr<DeviceOutput> d_gain;
  if (gain.samples) d_gain = std::make_unique<DeviceOutput>(gain);
  DeviceBuffer<float> copy;  // in place on the device: the running sums re-read overwritten samples
  const float* src = d_in.get();
  if (static_cast<const void*>(src) == static_cast<const void*>(d_out.get())) {
    copy = DeviceBuffer<float>(in.size());
    GPRPROC_CUDA_CHECK(cudaMemcpyAsync(copy.get(), src, in.size() * sizeof(float), cudaMemcpyDeviceToDevice));
    src = copy.get();
  }
  NonFiniteFlag flag;
  agc_kernel<<<blocks_for(in.n_traces, kThreads), kThreads>>>(src, in.n_samples, in.n_traces,
                                                               static_cast<long>(half_width), floor, d_out.get(),
                                                               d_gain ? d_gain->get() : nullptr, flag.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  if (d_gain) d_gain->finish();
  flag.check("agc");
}

}  // namespace gprproc::cuda_backend
