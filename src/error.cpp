#include "gprproc/error.hpp"

namespace gprproc {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::invalid_shape: return "invalid_shape";
    case ErrorCode::non_finite: return "non_finite";
    case ErrorCode::file_not_found: return "file_not_found";
    case ErrorCode::file_format: return "file_format";
    case ErrorCode::missing_entry: return "missing_entry";
    case ErrorCode::io_failure: return "io_failure";
    case ErrorCode::cuda_unavailable: return "cuda_unavailable";
    case ErrorCode::cuda_failure: return "cuda_failure";
    case ErrorCode::not_implemented: return "not_implemented";
  }
  return "unknown";
}

}  // namespace gprproc
