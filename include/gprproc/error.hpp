#pragma once
// The error hierarchy: every failure the library reports is a gprproc::Error
// carrying an ErrorCode, so callers (and the Python bindings) can branch on the
// kind of problem while the message names the file, dataset, shape or value.
#include <stdexcept>
#include <string>

namespace gprproc {

enum class ErrorCode {
  invalid_argument,  // a parameter out of range or inconsistent (dt <= 0, window < 1 sample ...)
  invalid_shape,     // an array of the wrong rank, size or layout
  non_finite,        // NaN or Inf samples where finite ones are required
  file_not_found,    // a path that does not exist
  file_format,       // a file that exists but is not what was expected (not HDF5, truncated ...)
  missing_entry,     // a group, dataset or attribute that is not in the file
  io_failure,        // reading or writing failed part-way (disk full, permissions ...)
  cuda_unavailable,  // Device::cuda asked of a build or machine without CUDA
  cuda_failure,      // a CUDA runtime or library call failed
  not_implemented,   // a combination of options the library does not support
};

const char* to_string(ErrorCode code) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

// Bad parameters, shapes or values: ValueError in Python.
class InvalidArgument : public Error {
 public:
  explicit InvalidArgument(const std::string& message, ErrorCode code = ErrorCode::invalid_argument)
      : Error(code, message) {}
};

// Files: missing, unreadable, of the wrong format: OSError in Python.
class FileError : public Error {
 public:
  FileError(ErrorCode code, const std::string& message) : Error(code, message) {}
};

// The CUDA device or runtime: gprproc.CudaError in Python.
class CudaError : public Error {
 public:
  CudaError(ErrorCode code, const std::string& message) : Error(code, message) {}
};

}  // namespace gprproc
