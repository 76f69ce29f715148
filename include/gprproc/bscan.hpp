#pragma once
// The B-scan: float32 samples of shape (n_samples, n_traces), row-major, so a
// row is one time sample across all traces and a column is one trace (as
// gprMax, numpy and h5py hold it). Metadata in SI units travels with it.
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/device.hpp"
#include "gprproc/history.hpp"

namespace gprproc {

struct BScanMetadata {
  double dt = 0.0;                // s, sample interval (> 0)
  double t0 = 0.0;                // s, time of sample 0
  double dx = 0.0;                // m, trace spacing (> 0)
  double x0 = 0.0;                // m, position of trace 0 (transmitter-receiver midpoint)
  double antenna_offset = 0.0;    // m, transmitter-receiver separation
  double antenna_height = 0.0;    // m, antenna above the ground surface
  double center_frequency = 0.0;  // Hz, 0 when unknown
  std::string component;          // field component, e.g. "Ez"; empty when not applicable
  std::string source;             // where the samples came from (file, instrument)

  double time_of_sample(std::size_t i) const { return t0 + dt * static_cast<double>(i); }
  double position_of_trace(std::size_t j) const { return x0 + dx * static_cast<double>(j); }
};

// Throws InvalidArgument naming the field when dt or dx is not positive and
// finite, or any other number is not finite (antenna height and offset >= 0).
void validate(const BScanMetadata& metadata);

// A non-owning view of caller memory: contiguous row-major (n_samples, n_traces).
template <class T>
struct BasicBScanView {
  T* samples = nullptr;
  std::size_t n_samples = 0;
  std::size_t n_traces = 0;
  Memory memory = Memory::host;

  std::size_t size() const { return n_samples * n_traces; }
  // Element (sample i, trace j); host memory only.
  T& at(std::size_t i, std::size_t j) const { return samples[i * n_traces + j]; }
};
using BScanView = BasicBScanView<float>;
using ConstBScanView = BasicBScanView<const float>;

// A non-owning view of a stack of B-scans of one shape: contiguous row-major
// (n_bscans, n_samples, n_traces), B-scan k starting at samples + k * n_samples * n_traces.
// The channels of a multichannel antenna array, the parallel lines of a 3-D
// survey, or many gprMax runs, processed by one call.
template <class T>
struct BasicBScanStackView {
  T* samples = nullptr;
  std::size_t n_bscans = 0;
  std::size_t n_samples = 0;
  std::size_t n_traces = 0;
  Memory memory = Memory::host;

  std::size_t size() const { return n_bscans * n_samples * n_traces; }
  // B-scan k (no bounds check).
  BasicBScanView<T> bscan(std::size_t k) const {
    return {samples + k * n_samples * n_traces, n_samples, n_traces, memory};
  }
  // The whole stack as one B-scan of n_bscans * n_samples rows: the same
  // memory, for operations whose rows are independent of each other.
  BasicBScanView<T> rows() const { return {samples, n_bscans * n_samples, n_traces, memory}; }
};
using BScanStackView = BasicBScanStackView<float>;
using ConstBScanStackView = BasicBScanStackView<const float>;

// Throws InvalidArgument when the view is empty (zero samples or traces) or null.
void validate(ConstBScanView view, const char* what = "B-scan");
// The same for a stack (also zero B-scans).
void validate(ConstBScanStackView view, const char* what = "B-scan stack");
// Throws InvalidArgument(non_finite) naming the first NaN/Inf sample (host views).
void check_finite(ConstBScanView view, const char* what = "B-scan");
// ... naming the B-scan of the stack, the sample and the trace (host views).
void check_finite(ConstBScanStackView view, const char* what = "B-scan stack");

class BScan {
 public:
  BScan() = default;
  // Zero-filled samples.
  BScan(std::size_t n_samples, std::size_t n_traces, BScanMetadata metadata);
  // Takes ownership of `samples`, which must hold n_samples * n_traces values.
  BScan(std::vector<float> samples, std::size_t n_samples, std::size_t n_traces, BScanMetadata metadata);

  std::size_t n_samples() const { return n_samples_; }
  std::size_t n_traces() const { return n_traces_; }
  std::size_t size() const { return samples_.size(); }
  bool empty() const { return samples_.empty(); }

  float* data() { return samples_.data(); }
  const float* data() const { return samples_.data(); }
  float& operator()(std::size_t i, std::size_t j) { return samples_[i * n_traces_ + j]; }
  float operator()(std::size_t i, std::size_t j) const { return samples_[i * n_traces_ + j]; }

  BScanView view() { return {samples_.data(), n_samples_, n_traces_, Memory::host}; }
  ConstBScanView view() const { return {samples_.data(), n_samples_, n_traces_, Memory::host}; }

  // Gives the sample buffer away (the B-scan is left empty), e.g. to numpy.
  std::vector<float> release_samples();
  const std::vector<float>& samples() const { return samples_; }

  BScanMetadata metadata;
  History history;
  // Optional per-trace antenna positions (n_traces x 3, m, row-major); empty when unknown.
  std::vector<double> positions;
  // Optional trace indices of the operator's marks (a field file's user or
  // distance marks), increasing, each < n_traces; empty when none.
  std::vector<std::size_t> marks;

 private:
  std::vector<float> samples_;
  std::size_t n_samples_ = 0;
  std::size_t n_traces_ = 0;
};

}  // namespace gprproc
