#pragma once
// Python arrays <-> gprproc views, without copies.
//
//   input_view(obj, "input")    -> ConstBScanView
//   output_view(obj, "output")  -> BScanView (the array must be writable)
//   require_same_shape(in, out, "input", "output")
//   to_numpy(std::move(vector), {rows, cols})  -> numpy array owning the vector
//
// Accepted arrays:
// - numpy.ndarray, float32 (native byte order), 2-D, C-contiguous -> Memory::host;
// - any object with __cuda_array_interface__ (CuPy, Numba, PyTorch CUDA tensors),
//   typestr "<f4", 2-D, strides None or C-contiguous, no mask -> Memory::device.
// Anything else is a ValueError that names the argument, what it got and what
// is needed; nothing is converted silently (the Python layer converts where a
// copy is acceptable, e.g. BScan(data) with float64 data).
//
// The returned views point into the Python object's memory: keep the object
// alive (a py::object argument of the binding does) until the C++ call returns.
// Call these with the GIL held, then release it for the computation.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/error.hpp"

namespace gprproc::python {

namespace py = pybind11;

// Waits for the CUDA stream a __cuda_array_interface__ producer named (v3
// "stream" entry), so its pending writes are visible to our kernels. Defined in
// device.cpp; a no-op in a build without CUDA.
void synchronize_exported_stream(std::uintptr_t stream);

namespace detail {

inline std::string shape_text(const std::vector<py::ssize_t>& shape) {
  std::ostringstream out;
  out << "(";
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  if (shape.size() == 1) out << ",";
  out << ")";
  return out.str();
}

[[noreturn]] inline void fail(const char* name, const std::string& problem) {
  throw InvalidArgument(std::string("argument '") + name + "': " + problem, ErrorCode::invalid_shape);
}

// True when strides (in bytes) describe a row-major (C-contiguous) 2-D float32
// block; a dimension of extent 1 may carry any stride.
inline bool c_contiguous_2d(const std::vector<py::ssize_t>& shape, const std::vector<py::ssize_t>& strides) {
  const py::ssize_t item = static_cast<py::ssize_t>(sizeof(float));
  if (shape[1] > 1 && strides[1] != item) return false;
  if (shape[0] > 1 && strides[0] != item * shape[1]) return false;
  return true;
}

struct RawView {
  void* samples = nullptr;
  std::size_t rows = 0;
  std::size_t columns = 0;
  Memory memory = Memory::host;
};

inline RawView from_numpy(const py::array& array, const char* name, bool writable) {
  const py::dtype want = py::dtype::of<float>();
  if (!array.dtype().equal(want))
    fail(name, "needs float32 samples, got dtype " + std::string(py::str(array.dtype())) +
                   " (convert with numpy.ascontiguousarray(a, dtype=numpy.float32))");
  std::vector<py::ssize_t> shape(array.shape(), array.shape() + array.ndim());
  if (array.ndim() != 2)
    fail(name, "needs a 2-D array of shape (n_samples, n_traces), got " + std::to_string(array.ndim()) +
                   "-D array of shape " + shape_text(shape));
  if (!(array.flags() & py::array::c_style))
    fail(name, "needs a C-contiguous (row-major) array, got a strided or Fortran-ordered view of shape " +
                   shape_text(shape) + " (use numpy.ascontiguousarray)");
  if (writable && !array.writeable())
    fail(name, "is an output and must be writable, got a read-only array");
  RawView view;
  view.samples = const_cast<void*>(array.data());
  view.rows = static_cast<std::size_t>(shape[0]);
  view.columns = static_cast<std::size_t>(shape[1]);
  view.memory = Memory::host;
  return view;
}

inline RawView from_cuda_array_interface(const py::handle& object, const char* name, bool writable) {
  const py::dict cai = object.attr("__cuda_array_interface__").cast<py::dict>();
  const std::string typestr = py::str(cai["typestr"]);
  if (typestr != "<f4")
    fail(name, "needs float32 samples (typestr '<f4'), got a CUDA array of typestr '" + typestr +
                   "' (convert with cupy.ascontiguousarray(a, dtype=cupy.float32))");
  std::vector<py::ssize_t> shape;
  for (const auto& extent : cai["shape"].cast<py::tuple>()) shape.push_back(extent.cast<py::ssize_t>());
  if (shape.size() != 2)
    fail(name, "needs a 2-D array of shape (n_samples, n_traces), got a " + std::to_string(shape.size()) +
                   "-D CUDA array of shape " + shape_text(shape));
  if (cai.contains("strides") && !cai["strides"].is_none()) {
    std::vector<py::ssize_t> strides;
    for (const auto& s : cai["strides"].cast<py::tuple>()) strides.push_back(s.cast<py::ssize_t>());
    if (strides.size() != 2 || !c_contiguous_2d(shape, strides))
      fail(name, "needs a C-contiguous (row-major) CUDA array, got a strided view of shape " + shape_text(shape) +
                     " (use cupy.ascontiguousarray)");
  }
  if (cai.contains("mask") && !cai["mask"].is_none()) fail(name, "masked CUDA arrays are not supported");
  const py::tuple data = cai["data"].cast<py::tuple>();
  const bool read_only = data[1].cast<bool>();
  if (writable && read_only) fail(name, "is an output and must be writable, got a read-only CUDA array");
  if (!cuda_compiled())
    throw CudaError(ErrorCode::cuda_unavailable,
                    std::string("argument '") + name +
                        "' is a CUDA (device) array, but this gprproc build has no CUDA backend; "
                        "pass a numpy array or install a CUDA build of gprproc");
  if (cai.contains("stream") && !cai["stream"].is_none())
    synchronize_exported_stream(cai["stream"].cast<std::uintptr_t>());
  RawView view;
  view.samples = reinterpret_cast<void*>(data[0].cast<std::uintptr_t>());
  view.rows = static_cast<std::size_t>(shape[0]);
  view.columns = static_cast<std::size_t>(shape[1]);
  view.memory = Memory::device;
  return view;
}

inline RawView raw_view(const py::handle& object, const char* name, bool writable) {
  if (py::isinstance<py::array>(object)) return from_numpy(py::reinterpret_borrow<py::array>(object), name, writable);
  if (py::hasattr(object, "__cuda_array_interface__")) return from_cuda_array_interface(object, name, writable);
  fail(name, "needs a numpy.ndarray or a CUDA array (CuPy) of float32, got an object of type " +
                 std::string(py::str(py::type::handle_of(object).attr("__name__"))));
}

}  // namespace detail

// True for objects exporting __cuda_array_interface__ (CuPy and friends).
inline bool is_device_array(const py::handle& object) {
  return !py::isinstance<py::array>(object) && py::hasattr(object, "__cuda_array_interface__");
}

inline ConstBScanView input_view(const py::handle& object, const char* name = "input") {
  const detail::RawView raw = detail::raw_view(object, name, false);
  return {static_cast<const float*>(raw.samples), raw.rows, raw.columns, raw.memory};
}

inline BScanView output_view(const py::handle& object, const char* name = "output") {
  const detail::RawView raw = detail::raw_view(object, name, true);
  return {static_cast<float*>(raw.samples), raw.rows, raw.columns, raw.memory};
}

// Throws ValueError when two views differ in shape (e.g. an operation's input
// and its same-shaped output).
inline void require_same_shape(ConstBScanView a, ConstBScanView b, const char* a_name, const char* b_name) {
  if (a.n_samples == b.n_samples && a.n_traces == b.n_traces) return;
  std::ostringstream msg;
  msg << "argument '" << b_name << "' must have the shape of '" << a_name << "' (" << a.n_samples << ", "
      << a.n_traces << "), got (" << b.n_samples << ", " << b.n_traces << ")";
  throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
}
inline void require_same_shape(ConstBScanView a, BScanView b, const char* a_name, const char* b_name) {
  require_same_shape(a, ConstBScanView{b.samples, b.n_samples, b.n_traces, b.memory}, a_name, b_name);
}

// Throws ValueError when an output view's shape is not (rows, columns), e.g. a
// migration image whose size the Python layer computed from the grid.
inline void require_shape(ConstBScanView view, std::size_t rows, std::size_t columns, const char* name) {
  if (view.n_samples == rows && view.n_traces == columns) return;
  std::ostringstream msg;
  msg << "argument '" << name << "' must have shape (" << rows << ", " << columns << "), got (" << view.n_samples
      << ", " << view.n_traces << ")";
  throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
}
inline void require_shape(BScanView view, std::size_t rows, std::size_t columns, const char* name) {
  require_shape(ConstBScanView{view.samples, view.n_samples, view.n_traces, view.memory}, rows, columns, name);
}

// A numpy array that takes ownership of `values` (moved, not copied): the
// vector lives in a capsule that numpy frees with the array.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values, const std::vector<py::ssize_t>& shape) {
  auto owner = std::make_unique<std::vector<T>>(std::move(values));
  T* data = owner->data();
  py::capsule free_when_done(owner.get(), [](void* p) { delete static_cast<std::vector<T>*>(p); });
  owner.release();  // the capsule owns it now
  return py::array_t<T>(shape, data, free_when_done);
}

}  // namespace gprproc::python
