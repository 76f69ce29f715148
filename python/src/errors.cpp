// C++ exceptions -> Python exceptions, with the C++ message unchanged and the
// error code as the attribute `.code` (a string such as "file_not_found"):
//   gprproc::InvalidArgument                  -> ValueError
//   gprproc::FileError (file_not_found)       -> FileNotFoundError
//   gprproc::FileError (other codes)          -> OSError
//   gprproc::CudaError                        -> gprproc.CudaError (a RuntimeError)
//   gprproc::Error (not_implemented)          -> NotImplementedError
//   gprproc::Error (anything else)            -> RuntimeError
#include <Python.h>

#include <exception>

#include "bindings.hpp"

namespace gprproc::python {

namespace {

// Created once at import and kept for the life of the process (exception
// classes are never unloaded), so the translator can use it without the module.
PyObject* cuda_error_type = nullptr;

void raise(PyObject* type, const Error& error) {
  py::object instance = py::reinterpret_borrow<py::object>(type)(error.what());
  instance.attr("code") = to_string(error.code());
  PyErr_SetObject(type, instance.ptr());
}

void translate(std::exception_ptr pending) {
  if (!pending) return;
  try {
    std::rethrow_exception(pending);
  } catch (const InvalidArgument& e) {
    raise(PyExc_ValueError, e);
  } catch (const FileError& e) {
    raise(e.code() == ErrorCode::file_not_found ? PyExc_FileNotFoundError : PyExc_OSError, e);
  } catch (const CudaError& e) {
    raise(cuda_error_type, e);
  } catch (const Error& e) {
    raise(e.code() == ErrorCode::not_implemented ? PyExc_NotImplementedError : PyExc_RuntimeError, e);
  }
  // Anything else propagates to pybind11's own translators (MemoryError, ...).
}

}  // namespace

void register_errors(py::module_& m) {
  if (cuda_error_type == nullptr) {
    cuda_error_type = PyErr_NewExceptionWithDoc(
        "gprproc.CudaError",
        "A CUDA device problem: device='cuda' without a usable GPU or CUDA build, "
        "or a failing CUDA runtime/library call. `.code` says which.",
        PyExc_RuntimeError, nullptr);
    if (cuda_error_type == nullptr) throw py::error_already_set();
  }
  m.attr("CudaError") = py::handle(cuda_error_type);
  py::register_exception_translator(&translate);
}

}  // namespace gprproc::python
