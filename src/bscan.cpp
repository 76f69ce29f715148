#include "gprproc/bscan.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "gprproc/error.hpp"

namespace gprproc {

namespace {
void require_finite(double value, const char* name) {
  if (!std::isfinite(value))
    throw InvalidArgument(std::string("B-scan metadata '") + name + "' must be finite, got " + std::to_string(value));
}
void require_positive(double value, const char* name, const char* unit) {
  require_finite(value, name);
  if (!(value > 0.0)) {
    std::ostringstream msg;
    msg << "B-scan metadata '" << name << "' must be positive (" << unit << "), got " << value;
    throw InvalidArgument(msg.str());
  }
}
void require_non_negative(double value, const char* name, const char* unit) {
  require_finite(value, name);
  if (value < 0.0) {
    std::ostringstream msg;
    msg << "B-scan metadata '" << name << "' must not be negative (" << unit << "), got " << value;
    throw InvalidArgument(msg.str());
  }
}
}  // namespace

void validate(const BScanMetadata& m) {
  require_positive(m.dt, "dt", "s");
  require_positive(m.dx, "dx", "m");
  require_finite(m.t0, "t0");
  require_finite(m.x0, "x0");
  require_non_negative(m.antenna_offset, "antenna_offset", "m");
  require_non_negative(m.antenna_height, "antenna_height", "m");
  require_non_negative(m.center_frequency, "center_frequency", "Hz");
}

void validate(ConstBScanView view, const char* what) {
  if (view.n_samples == 0 || view.n_traces == 0) {
    std::ostringstream msg;
    msg << what << " is empty: shape (" << view.n_samples << ", " << view.n_traces
        << "); it needs at least one sample and one trace";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (view.samples == nullptr) throw InvalidArgument(std::string(what) + " has a null sample pointer");
}

void check_finite(ConstBScanView view, const char* what) {
  if (view.memory != Memory::host) return;  // device data is checked by the CUDA backend
  const std::size_t n = view.size();
  for (std::size_t k = 0; k < n; ++k) {
    if (!std::isfinite(view.samples[k])) {
      std::ostringstream msg;
      msg << what << " holds a non-finite sample (" << view.samples[k] << ") at sample " << k / view.n_traces
          << ", trace " << k % view.n_traces << "; clean the data or allow non-finite samples explicitly";
      throw InvalidArgument(msg.str(), ErrorCode::non_finite);
    }
  }
}

void validate(ConstBScanStackView view, const char* what) {
  if (view.n_bscans == 0 || view.n_samples == 0 || view.n_traces == 0) {
    std::ostringstream msg;
    msg << what << " is empty: shape (" << view.n_bscans << ", " << view.n_samples << ", " << view.n_traces
        << "); it needs at least one B-scan, one sample and one trace";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (view.samples == nullptr) throw InvalidArgument(std::string(what) + " has a null sample pointer");
}

void check_finite(ConstBScanStackView view, const char* what) {
  for (std::size_t k = 0; k < view.n_bscans; ++k) {
    const std::string name = "B-scan " + std::to_string(k) + " of the " + what;
    check_finite(view.bscan(k), name.c_str());
  }
}

BScan::BScan(std::size_t n_samples, std::size_t n_traces, BScanMetadata metadata_)
    : metadata(std::move(metadata_)), samples_(n_samples * n_traces, 0.0f), n_samples_(n_samples), n_traces_(n_traces) {}

BScan::BScan(std::vector<float> samples, std::size_t n_samples, std::size_t n_traces, BScanMetadata metadata_)
    : metadata(std::move(metadata_)), samples_(std::move(samples)), n_samples_(n_samples), n_traces_(n_traces) {
  if (samples_.size() != n_samples * n_traces) {
    std::ostringstream msg;
    msg << "B-scan of shape (" << n_samples << ", " << n_traces << ") needs " << n_samples * n_traces
        << " samples, got " << samples_.size();
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
}

std::vector<float> BScan::release_samples() {
  std::vector<float> out = std::move(samples_);
  samples_.clear();
  n_samples_ = n_traces_ = 0;
  return out;
}

}  // namespace gprproc
