#pragma once
// Shared by the preprocessing and gain dispatch code (src/filters*.cpp,
// src/gain*.cpp): argument checks with messages that name the parameter, its
// value and the valid range, and the choice of backend for a set of views.
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <sstream>
#include <string>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/error.hpp"

namespace gprproc::preprocessing {

[[noreturn]] inline void throw_parameter(const std::string& operation, const std::string& name, double value,
                                         const std::string& valid) {
  std::ostringstream msg;
  msg << operation << ": parameter '" << name << "' = " << value << " is invalid; " << valid;
  throw InvalidArgument(msg.str());
}

inline void require_finite(const std::string& operation, const std::string& name, double value) {
  if (!std::isfinite(value)) throw_parameter(operation, name, value, "it must be a finite number");
}

// What these operations need of the metadata: the time axis (dx and the
// antenna geometry do not matter here, so bare arrays need only dt).
inline void check_time_axis(const std::string& operation, const BScanMetadata& metadata) {
  if (!(std::isfinite(metadata.dt) && metadata.dt > 0.0))
    throw_parameter(operation, "dt", metadata.dt, "the sample interval (s) must be positive and finite");
  require_finite(operation, "t0", metadata.t0);
}

// `out` must have the shape of `in`; both non-empty.
inline void check_same_shape(const std::string& operation, ConstBScanView in, ConstBScanView out,
                             const char* out_name = "output") {
  validate(in, (operation + " input").c_str());
  validate(out, (operation + " " + out_name).c_str());
  if (in.n_samples != out.n_samples || in.n_traces != out.n_traces) {
    std::ostringstream msg;
    msg << operation << ": the " << out_name << " has shape (" << out.n_samples << ", " << out.n_traces
        << ") but the input has shape (" << in.n_samples << ", " << in.n_traces << "); they must match";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
}

inline ConstBScanView as_const(BScanView v) { return {v.samples, v.n_samples, v.n_traces, v.memory}; }

// The backend for views in the given memories: device memory needs CUDA (an
// explicit cpu request is refused), host memory follows `requested`.
inline Device choose_device(const std::string& operation, Device requested, std::initializer_list<Memory> memories) {
  bool any_device = false;
  for (Memory m : memories) any_device = any_device || m == Memory::device;
  if (any_device) {
    if (requested == Device::cpu)
      throw InvalidArgument(operation + ": device-memory views need Device::cuda (or automatic), not Device::cpu");
    return resolve_device(Device::cuda);
  }
  return resolve_device(requested);
}

// Host views are checked for NaN/Inf here; device views by the CUDA kernels.
inline void check_input_finite(const std::string& operation, ConstBScanView in) {
  check_finite(in, (operation + " input").c_str());
}

// Number of samples a time span covers, rounded to the nearest whole sample.
inline double samples_in(double seconds, double dt) { return std::round(seconds / dt); }

}  // namespace gprproc::preprocessing
