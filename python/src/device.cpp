// Device queries and the library version for Python, and the stream
// synchronisation array_support.hpp needs for CUDA arrays from other libraries.
#include <cstdint>

#ifdef GPRPROC_HAS_CUDA
#include <cuda_runtime.h>
#endif

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/version.hpp"

namespace gprproc::python {

void synchronize_exported_stream(std::uintptr_t stream) {
#ifdef GPRPROC_HAS_CUDA
  // __cuda_array_interface__ v3: 1 is the legacy default stream, which our
  // default-stream kernels are already ordered after; 2 is the per-thread one.
  if (stream == 0 || stream == 1) return;
  cudaStream_t handle = stream == 2 ? cudaStreamPerThread : reinterpret_cast<cudaStream_t>(stream);
  const cudaError_t status = cudaStreamSynchronize(handle);
  if (status != cudaSuccess)
    throw CudaError(ErrorCode::cuda_failure, std::string("waiting for the CUDA stream of an input array failed: ") +
                                                 cudaGetErrorString(status));
#else
  (void)stream;
#endif
}

void register_device(py::module_& m) {
  m.attr("version") = version_string;
  m.def("cuda_compiled", &cuda_compiled, "True when this build contains the CUDA backend.");
  m.def("cuda_device_count", &cuda_device_count, "Number of usable CUDA devices (0 without a GPU or CUDA build).");
  m.def("cuda_available", &cuda_available, "True when a CUDA device can be used (CUDA build and a GPU present).");
  m.def("device_name", &cuda_device_name, "A one-line description of the CUDA device, or why there is none.");
  m.def(
      "resolve_device", [](const std::string& name) { return std::string(to_string(resolve_device(parse_device(name)))); },
      py::arg("device"),
      "'cpu' or 'cuda': where an operation asked to run on `device` ('auto', 'cpu', 'cuda', 'gpu') runs. "
      "Raises ValueError for an unknown name and CudaError for 'cuda' without a usable device.");
}

}  // namespace gprproc::python
