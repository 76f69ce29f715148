#pragma once
// Where an operation runs. `automatic` picks CUDA when the library was built
// with it and a device is present at run time, else the CPU.
#include <string>

namespace gprproc {

enum class Device { cpu, cuda, automatic };

// Where a pointer handed to a view lives. Host views are read by the CPU
// backend (and copied in by the CUDA one); device views stay on the GPU.
enum class Memory { host, device };

const char* to_string(Device device) noexcept;
// Parses "cpu", "cuda", "gpu", "auto", "automatic"; throws InvalidArgument otherwise.
Device parse_device(const std::string& name);

// True when this build contains the CUDA backend.
bool cuda_compiled() noexcept;
// Number of usable CUDA devices (0 on a CPU-only build or a machine without a GPU).
int cuda_device_count() noexcept;
inline bool cuda_available() noexcept { return cuda_device_count() > 0; }
// A one-line description of the CUDA device in use ("none" without one).
std::string cuda_device_name();

// Resolves `automatic` to cpu or cuda; throws CudaError(cuda_unavailable) when
// cuda is asked for explicitly and cannot be had, saying why.
Device resolve_device(Device requested);

}  // namespace gprproc
