// Device choice and resolution; the CUDA queries live in cuda/device.cu, or in
// device_without_cuda.cpp for a CPU-only build.
#include "gprproc/device.hpp"

#include <algorithm>
#include <cctype>

#include "gprproc/error.hpp"

namespace gprproc {

const char* to_string(Device device) noexcept {
  switch (device) {
    case Device::cpu: return "cpu";
    case Device::cuda: return "cuda";
    case Device::automatic: return "auto";
  }
  return "unknown";
}

Device parse_device(const std::string& name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "cpu") return Device::cpu;
  if (lower == "cuda" || lower == "gpu") return Device::cuda;
  if (lower == "auto" || lower == "automatic") return Device::automatic;
  throw InvalidArgument("device must be 'cpu', 'cuda' or 'auto', got '" + name + "'");
}

Device resolve_device(Device requested) {
  if (requested == Device::cpu) return Device::cpu;
  const bool usable = cuda_available();
  if (requested == Device::automatic) return usable ? Device::cuda : Device::cpu;
  if (!cuda_compiled())
    throw CudaError(ErrorCode::cuda_unavailable,
                    "device 'cuda' requested, but this gprproc build has no CUDA backend "
                    "(configure with GPRPROC_WITH_CUDA=ON and the CUDA toolkit, or use device 'cpu')");
  if (!usable)
    throw CudaError(ErrorCode::cuda_unavailable,
                    "device 'cuda' requested, but no CUDA device is usable on this machine "
                    "(no GPU, or the driver is missing); use device 'cpu' or 'auto'");
  return Device::cuda;
}

}  // namespace gprproc
