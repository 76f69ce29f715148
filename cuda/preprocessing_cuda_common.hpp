#pragma once
// Shared by the preprocessing and gain kernels (cuda/filters*.cu, cuda/gain.cu):
// a device flag that kernels raise when they read a NaN/Inf sample (device
// views are not checked on the host), and launch-size helpers.
#include <cuda_runtime.h>

#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
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

inline unsigned int blocks_for(std::size_t count, unsigned int threads) {
  return static_cast<unsigned int>((count + threads - 1) / threads);
}

}  // namespace gprproc::cuda_backend
