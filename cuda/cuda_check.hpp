#pragma once
// Error checks for CUDA runtime and library calls: a failure becomes a
// gprproc::CudaError that names the call, the file and line, and the reason.
#include <cuda_runtime.h>

#include <string>

#include "gprproc/error.hpp"

namespace gprproc::cuda_backend {

[[noreturn]] inline void throw_cuda_failure(const char* call, const std::string& reason, const char* file, int line) {
  throw CudaError(ErrorCode::cuda_failure,
                  std::string(call) + " failed: " + reason + " (" + file + ":" + std::to_string(line) + ")");
}

}  // namespace gprproc::cuda_backend

#define GPRPROC_CUDA_CHECK(call)                                                                     \
  do {                                                                                               \
    const cudaError_t gprproc_status_ = (call);                                                      \
    if (gprproc_status_ != cudaSuccess)                                                              \
      ::gprproc::cuda_backend::throw_cuda_failure(#call, cudaGetErrorString(gprproc_status_), __FILE__, \
                                                  __LINE__);                                         \
  } while (0)

// After a kernel launch: launch errors now, execution errors at the next sync.
#define GPRPROC_CUDA_CHECK_LAUNCH() GPRPROC_CUDA_CHECK(cudaGetLastError())

// cuFFT, cuBLAS and cuSOLVER return plain status integers: 0 is success.
#define GPRPROC_CUDA_LIBRARY_CHECK(call)                                                             \
  do {                                                                                               \
    const int gprproc_status_ = static_cast<int>(call);                                              \
    if (gprproc_status_ != 0)                                                                        \
      ::gprproc::cuda_backend::throw_cuda_failure(#call, "status " + std::to_string(gprproc_status_), \
                                                  __FILE__, __LINE__);                               \
  } while (0)
