#pragma once
// Dynamic shared memory: how much a block may opt in to on this device, and
// the opt-in itself (cuda/background.cu, the staged per-trace kernels).
#include <cuda_runtime.h>

#include <cstddef>

#include "cuda_check.hpp"

namespace gprproc::cuda_backend {

// The dynamic shared memory a block may have on the current device, leaving
// `static_bytes` for the kernel's static shared memory.
inline std::size_t dynamic_shared_memory_room(std::size_t static_bytes) {
  int device = 0, limit = 0;
  GPRPROC_CUDA_CHECK(cudaGetDevice(&device));
  GPRPROC_CUDA_CHECK(cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  return static_cast<std::size_t>(limit) - static_bytes;
}

// Above the default 48 KiB less the kernel's static shared memory, a kernel
// must opt in to more dynamic shared memory.
template <class Kernel>
void allow_dynamic_shared_memory(Kernel kernel, std::size_t bytes, std::size_t static_bytes) {
  if (bytes > 48 * 1024 - static_bytes)
    GPRPROC_CUDA_CHECK(
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
}

}  // namespace gprproc::cuda_backend
