#pragma once
// Shared declarations of the gprproc._core module: every python/src/<area>.cpp
// includes this header (and array_support.hpp for arrays).
//
// How an area adds its bindings (example: dewow in area "filters"):
//
//   // python/src/filters.cpp
//   #include "array_support.hpp"
//   #include "bindings.hpp"
//   #include "gprproc/filters.hpp"
//
//   namespace gprproc::python {
//   void register_filters(py::module_& m) {
//     m.def("dewow",
//           [](py::object input, py::object output, const BScanMetadata& metadata, double window,
//              const std::string& device) {
//             const ConstBScanView in = input_view(input, "input");
//             const BScanView out = output_view(output, "output");
//             require_same_shape(in, out, "input", "output");
//             const Device where = parse_device(device);
//             py::gil_scoped_release release;  // no Python objects touched past here
//             gprproc::dewow(in, metadata, window, out, where);
//           },
//           py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("window"),
//           py::arg("device") = "auto",
//           "Dewow `input` into the preallocated `output` (same shape, same memory kind).");
//   }
//   }  // namespace gprproc::python
//
// then one line in module.cpp's register_all(): GPRPROC_REGISTER(filters);
// and the Python wrapper in python/gprproc/filters.py uses gprproc._wrap (see there).
//
// Conventions every binding follows:
// - Kernel bindings are view level: (input array, output array, metadata,
//   parameters..., device string). The Python layer allocates the output with
//   the input's array module (numpy or CuPy), so nothing is copied here.
// - Arrays are turned into views with input_view / output_view BEFORE the GIL
//   is released; the py::object arguments keep the memory alive for the call.
// - Release the GIL (py::gil_scoped_release) around the C++ call only.
// - C++ exceptions are not caught here: errors.cpp translates gprproc::Error
//   into ValueError / OSError / gprproc.CudaError with the C++ message.
// - Metadata arrives as the bound classes below (_core.BScanMetadata,
//   _core.ImageGrid, _core.VelocityModel), which the Python layer builds from
//   a BScan / DepthImage (see python/gprproc/_wrap.py).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/error.hpp"
#include "gprproc/history.hpp"
#include "gprproc/image.hpp"
#include "gprproc/velocity_model.hpp"

namespace py = pybind11;

namespace gprproc::python {

// One per area, each defined in python/src/<area>.cpp and called from module.cpp.
// (module.cpp declares them itself through GPRPROC_REGISTER, so an area does
// not need to edit this header.)
void register_errors(py::module_& m);  // exception classes and translators (first)
void register_types(py::module_& m);   // BScanMetadata, ImageGrid, VelocityModel, HistoryStep
void register_device(py::module_& m);  // cuda_available, device_name, version
void register_io(py::module_& m);      // read/write of our HDF5 layout and gprMax files

// History steps cross the boundary as (operation, parameters_json, library_version)
// tuples; the Python layer turns the JSON text into a dict and back.
py::list history_to_python(const History& history);
History history_from_python(const py::iterable& steps);

}  // namespace gprproc::python
