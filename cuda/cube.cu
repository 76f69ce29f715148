// Cube-wide mean trace on the GPU: one block per sample row sums that row of
// every line in double (lines are n_samples * n_traces apart), then one
// elementwise pass subtracts it.
#include <algorithm>

#include "background_cuda.hpp"
#include "cube_cuda.hpp"
#include "device_buffer.hpp"
#include "launch_size.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr unsigned kThreads = 256;

__global__ void cube_row_means_kernel(const float* in, long long n_lines, long long n_samples, long long n_traces,
                                      float* means) {
  __shared__ double partial[kThreads];
  const long long per_row = n_lines * n_traces;
  for (long long i = blockIdx.x; i < n_samples; i += gridDim.x) {
    double sum = 0.0;
    for (long long k = threadIdx.x; k < per_row; k += blockDim.x) {
      const long long line = k / n_traces, trace = k - line * n_traces;
      sum += static_cast<double>(in[(line * n_samples + i) * n_traces + trace]);
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) partial[threadIdx.x] += partial[threadIdx.x + s];
      __syncthreads();
    }
    if (threadIdx.x == 0) means[i] = static_cast<float>(partial[0] / static_cast<double>(per_row));
    __syncthreads();
  }
}

__global__ void subtract_row_means_kernel(const float* in, long long count, long long n_samples, long long n_traces,
                                          const float* means, float* out) {
  for (long long e = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; e < count;
       e += static_cast<long long>(gridDim.x) * blockDim.x) {
    const long long row = (e / n_traces) % n_samples;
    out[e] = in[e] - means[row];
  }
}

}  // namespace

void subtract_cube_mean(ConstBScanStackView in, BScanStackView out) {
  const ConstBScanView all = in.rows();
  check_finite_device(all, "remove_background (cube mean)", "the cube");
  DeviceInput input(all);
  DeviceOutput output(out.rows());
  DeviceBuffer<float> means(in.n_samples);
  const auto lines = static_cast<long long>(in.n_bscans), samples = static_cast<long long>(in.n_samples),
             traces = static_cast<long long>(in.n_traces);
  const unsigned row_blocks = static_cast<unsigned>(std::min<long long>(samples, 65535));
  cube_row_means_kernel<<<row_blocks, kThreads>>>(input.get(), lines, samples, traces, means.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  const long long count = static_cast<long long>(all.size());
  const unsigned blocks = static_cast<unsigned>(std::min<long long>((count + kThreads - 1) / kThreads, 65535));
  subtract_row_means_kernel<<<blocks, kThreads>>>(input.get(), count, samples, traces, means.get(), output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
  // Host input: the NaN check happened on the host before the call.
}

}  // namespace gprproc::cuda_backend
