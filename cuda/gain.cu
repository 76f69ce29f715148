// CUDA kernels of the gains: an element-wise multiply/divide by a per-sample
// or per-element gain, and AGC with running sums of squares down each trace
// (tiles of traces x row groups, preprocessing_cuda_common.hpp).
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

// Rows in blockIdx.y (grid-stride), traces in x: the per-sample gain is read
// once per row and no element index is divided to find its row.
__global__ void gain_kernel(const float* in, const float* __restrict__ gain, bool per_sample, bool divide,
                            std::size_t ns, std::size_t nt, float* out, int* bad_input, int* bad_gain) {
  bool bad_x = false, bad_g = false;
  for (std::size_t i = blockIdx.y; i < ns; i += gridDim.y) {
    const float row_gain = per_sample ? gain[i] : 0.0f;
    for (std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; j < nt;
         j += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
      const std::size_t k = i * nt + j;
      const float x = in[k];
      const float g = per_sample ? row_gain : gain[k];
      bad_x = bad_x || !isfinite(x);
      bad_g = bad_g || !isfinite(g) || g == 0.0f;
      out[k] = divide ? x / g : x * g;
    }
  }
  if (bad_x) *bad_input = 1;
  if (bad_g) *bad_gain = 1;
}

// Block: kTraceTile traces x kRowGroups row groups. The trace's rms (the floor
// level) is a block reduction; then each row group slides the window of
// squares down its own run of rows. Staged (preprocessing_cuda_common.hpp):
// the tile is read from global memory once and in place is safe; not staged,
// in place needs a copy of the input.
template <bool Staged>
__global__ void __launch_bounds__(kTraceTile* kRowGroups)
    agc_kernel(const float* in, std::size_t ns, std::size_t nt, long h, double floor, float* out, float* gain,
               int* non_finite) {
  extern __shared__ float tile[];
  const std::size_t j = blockIdx.x * static_cast<std::size_t>(kTraceTile) + threadIdx.x;
  const bool active = j < nt;
  const long n = static_cast<long>(ns);
  bool bad = false;
  if constexpr (Staged) {
    bad = stage_trace_tile(in, ns, nt, j, active, tile);
    __syncthreads();
  }
  const auto x = [&](long i) -> double {
    if constexpr (Staged) return tile[static_cast<std::size_t>(i) * kTraceTile + threadIdx.x];
    else return in[static_cast<std::size_t>(i) * nt + j];
  };
  double partial = 0.0;
  if (active)
    for (long i = threadIdx.y; i < n; i += kRowGroups) {
      const double v = x(i);
      bad = bad || !isfinite(v);
      partial += v * v;
    }
  const double total = sum_over_row_groups(partial);
  if (!active) return;
  if (bad) *non_finite = 1;
  const double level = floor * sqrt(total / static_cast<double>(ns));
  const RowRun run = row_run(n);
  if (run.begin >= run.end) return;
  double sum = 0.0;
  WindowReciprocal reciprocal;
  const detail::IndexRange first = detail::running_window(run.begin, h, n);
  for (long i = first.lo; i <= first.hi; ++i) sum += x(i) * x(i);
  for (long i = run.begin; i < run.end; ++i) {
    if (i > run.begin) {
      if (i + h <= n - 1) sum += x(i + h) * x(i + h);
      if (i - 1 - h >= 0) sum -= x(i - 1 - h) * x(i - 1 - h);
    }
    const detail::IndexRange r = detail::running_window(i, h, n);
    const float g = detail::agc_gain_of_mean_square(sum * reciprocal.of(r.hi - r.lo + 1), level);
    const std::size_t k = static_cast<std::size_t>(i) * nt + j;
    out[k] = static_cast<float>(x(i)) * g;
    if (gain) gain[k] = g;
  }
}

dim3 gain_grid(std::size_t ns, std::size_t nt) {
  const std::size_t across = (nt + kThreads - 1) / kThreads;
  return dim3(static_cast<unsigned int>(across < 256 ? across : 256), static_cast<unsigned int>(ns < 65535 ? ns : 65535));
}

}  // namespace

void apply_gain(ConstBScanView in, ConstBScanView gain, bool divide, BScanView out) {
  DeviceInput d_in(in);
  DeviceInput d_gain(gain);
  DeviceOutput d_out(out);
  NonFiniteFlag bad_input, bad_gain;
  gain_kernel<<<gain_grid(in.n_samples, in.n_traces), kThreads>>>(d_in.get(), d_gain.get(), gain.n_traces == 1, divide,
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
  NonFiniteFlag flag;
  const long h = static_cast<long>(half_width);
  float* gain_out = d_gain ? d_gain->get() : nullptr;
  const std::size_t staged = staged_tile_bytes(in.n_samples);
  DeviceBuffer<float> copy;  // outlives the launch
  if (staged) {  // in place is safe: the block reads its whole tile first
    allow_staged_tile(agc_kernel<true>, staged);
    agc_kernel<true><<<trace_tile_grid(in.n_traces), trace_tile_block(), staged>>>(
        d_in.get(), in.n_samples, in.n_traces, h, floor, d_out.get(), gain_out, flag.get());
  } else {
    const float* src = d_in.get();  // in place: the running sums re-read overwritten samples
    if (static_cast<const void*>(src) == static_cast<const void*>(d_out.get())) {
      copy = DeviceBuffer<float>(in.size());
      GPRPROC_CUDA_CHECK(cudaMemcpyAsync(copy.get(), src, in.size() * sizeof(float), cudaMemcpyDeviceToDevice));
      src = copy.get();
    }
    agc_kernel<false><<<trace_tile_grid(in.n_traces), trace_tile_block()>>>(
        src, in.n_samples, in.n_traces, h, floor, d_out.get(), gain_out, flag.get());
  }
  GPRPROC_CUDA_CHECK_LAUNCH();
  d_out.finish();
  if (d_gain) d_gain->finish();
  flag.check("agc");
}

}  // namespace gprproc::cuda_backend
