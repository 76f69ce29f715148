// CUDA queries of a CPU-only build: no backend, no devices.
#include "gprproc/device.hpp"

namespace gprproc {

bool cuda_compiled() noexcept { return false; }
int cuda_device_count() noexcept { return 0; }
std::string cuda_device_name() { return "none (built without CUDA)"; }

}  // namespace gprproc
