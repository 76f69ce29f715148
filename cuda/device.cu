// CUDA queries of a build with the CUDA backend. A machine without a GPU (or
// without a driver) reports zero devices rather than failing.
#include <cuda_runtime.h>

#include <string>

#include "gprproc/device.hpp"

namespace gprproc {

bool cuda_compiled() noexcept { return true; }

int cuda_device_count() noexcept {
  static const int count = [] {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
      cudaGetLastError();  // clear the sticky "no device / no driver" error
      return 0;
    }
    return n;
  }();
  return count;
}

std::string cuda_device_name() {
  if (cuda_device_count() == 0) return "none (no CUDA device found)";
  int device = 0;
  cudaGetDevice(&device);
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, device) != cudaSuccess) return "unknown CUDA device";
  return std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ", " +
         std::to_string(prop.totalGlobalMem >> 20) + " MiB)";
}

}  // namespace gprproc
