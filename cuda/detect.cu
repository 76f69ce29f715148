// CUDA backend of detection: envelope, window statistics (thrust sorts),
// and the local-maximum test per pixel (detail/detect_math.hpp).
#include <thrust/copy.h>
#include <thrust/device_ptr.h>
#include <thrust/execution_policy.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/sort.h>

#include <cmath>

#include "cuda_check.hpp"
#include "detect_cuda.hpp"
#include "device_buffer.hpp"
#include "gprproc/detail/detect_math.hpp"
#include "gprproc/filters.hpp"

namespace gprproc::cuda_backend {

namespace {

__global__ void absolute_kernel(const float* in, float* out, std::size_t n) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k < n) out[k] = fabsf(in[k]);
}

// Copies the window (rows r0.., columns c0.., w_cols wide) into a dense buffer.
__global__ void gather_kernel(const float* env, std::size_t n_x, std::size_t r0, std::size_t c0, std::size_t w_rows,
                              std::size_t w_cols, float* out) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k >= w_rows * w_cols) return;
  out[k] = env[(r0 + k / w_cols) * n_x + c0 + k % w_cols];
}

__global__ void deviation_kernel(float* values, std::size_t n, float median) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k < n) values[k] = fabsf(values[k] - median);
}

__global__ void peak_kernel(const float* env, std::size_t n_z, std::size_t n_x, std::size_t r0, std::size_t c0,
                            std::size_t w_rows, std::size_t w_cols, float level, unsigned char* mask) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k >= w_rows * w_cols) return;
  mask[k] = detail::is_peak(env, n_z, n_x, r0 + k / w_cols, c0 + k % w_cols, level) ? 1 : 0;
}

// Window-local positions of the peaks -> image indices and their envelope values.
__global__ void peak_values_kernel(const float* env, std::size_t n_x, std::size_t r0, std::size_t c0,
                                   std::size_t w_cols, std::size_t count, std::size_t* indices, float* values) {
  const std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (k >= count) return;
  const std::size_t local = indices[k];
  const std::size_t index = (r0 + local / w_cols) * n_x + c0 + local % w_cols;
  indices[k] = index;
  values[k] = env[index];
}

struct IsPeak {
  __host__ __device__ bool operator()(unsigned char flag) const { return flag != 0; }
};

unsigned blocks_for(std::size_t n) { return static_cast<unsigned>((n + 255) / 256); }

}  // namespace

DetectStatistics detect_peaks(ConstBScanView image, const BScanMetadata& rows_as_time, bool use_envelope,
                              std::size_t r0, std::size_t r1, std::size_t c0, std::size_t c1, double threshold,
                              double relative_threshold, std::vector<std::size_t>& indices,
                              std::vector<float>& values) {
  const std::size_t n_z = image.n_samples, n_x = image.n_traces, n = image.size();
  DeviceInput input(image);
  DeviceBuffer<float> env(n);
  if (use_envelope) {
    hilbert(ConstBScanView{input.get(), n_z, n_x, Memory::device}, rows_as_time,
            BScanView{env.get(), n_z, n_x, Memory::device}, BScanView{}, Device::cuda);
  } else {
    absolute_kernel<<<blocks_for(n), 256>>>(input.get(), env.get(), n);
    GPRPROC_CUDA_CHECK(cudaGetLastError());
  }
  const std::size_t w_rows = r1 - r0, w_cols = c1 - c0, w_n = w_rows * w_cols;
  DeviceBuffer<float> window(w_n);
  gather_kernel<<<blocks_for(w_n), 256>>>(env.get(), n_x, r0, c0, w_rows, w_cols, window.get());
  GPRPROC_CUDA_CHECK(cudaGetLastError());
  // Non-finite envelope values (non-finite input) would make the order meaningless.
  thrust::device_ptr<float> begin(window.get());
  thrust::sort(begin, begin + static_cast<std::ptrdiff_t>(w_n));
  float median = 0.0f, largest = 0.0f, mad = 0.0f;
  GPRPROC_CUDA_CHECK(cudaMemcpy(&median, window.get() + (w_n - 1) / 2, sizeof(float), cudaMemcpyDeviceToHost));
  GPRPROC_CUDA_CHECK(cudaMemcpy(&largest, window.get() + (w_n - 1), sizeof(float), cudaMemcpyDeviceToHost));
  if (!std::isfinite(largest)) throw InvalidArgument("detect: the image holds NaN or Inf values", ErrorCode::non_finite);
  deviation_kernel<<<blocks_for(w_n), 256>>>(window.get(), w_n, median);
  GPRPROC_CUDA_CHECK(cudaGetLastError());
  thrust::sort(begin, begin + static_cast<std::ptrdiff_t>(w_n));
  GPRPROC_CUDA_CHECK(cudaMemcpy(&mad, window.get() + (w_n - 1) / 2, sizeof(float), cudaMemcpyDeviceToHost));

  DetectStatistics s;
  s.median = median;
  s.sigma = detail::mad_to_sigma * mad;
  s.level = std::fmax(s.median + threshold * s.sigma, relative_threshold * largest);

  DeviceBuffer<unsigned char> mask(w_n);
  peak_kernel<<<blocks_for(w_n), 256>>>(env.get(), n_z, n_x, r0, c0, w_rows, w_cols, static_cast<float>(s.level),
                                        mask.get());
  GPRPROC_CUDA_CHECK(cudaGetLastError());
  // Compact the peaks on the device (in window order, as a host scan would
  // find them) and copy back only those: one copy each, not one per peak.
  DeviceBuffer<std::size_t> d_indices(w_n);
  const thrust::counting_iterator<std::size_t> first(0);
  const std::size_t count = static_cast<std::size_t>(
      thrust::copy_if(thrust::device, first, first + static_cast<std::ptrdiff_t>(w_n),
                      thrust::device_ptr<unsigned char>(mask.get()), thrust::device_ptr<std::size_t>(d_indices.get()),
                      IsPeak{}) -
      thrust::device_ptr<std::size_t>(d_indices.get()));
  indices.assign(count, 0);
  values.assign(count, 0.0f);
  if (count == 0) return s;
  DeviceBuffer<float> d_values(count);
  peak_values_kernel<<<blocks_for(count), 256>>>(env.get(), n_x, r0, c0, w_cols, count, d_indices.get(),
                                                 d_values.get());
  GPRPROC_CUDA_CHECK(cudaGetLastError());
  GPRPROC_CUDA_CHECK(cudaMemcpy(indices.data(), d_indices.get(), count * sizeof(std::size_t), cudaMemcpyDeviceToHost));
  GPRPROC_CUDA_CHECK(cudaMemcpy(values.data(), d_values.get(), count * sizeof(float), cudaMemcpyDeviceToHost));
  return s;
}

}  // namespace gprproc::cuda_backend
