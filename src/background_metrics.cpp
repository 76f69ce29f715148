// Signal-to-clutter ratio, its improvement, and PSNR (include/gprproc/metrics.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "gprproc/error.hpp"
#include "gprproc/metrics.hpp"

namespace gprproc {

namespace {

void require_host(ConstBScanView v, const char* what) {
  validate(v, what);
  if (v.memory != Memory::host)
    throw InvalidArgument(std::string(what) + " is in device memory; the metrics read host views (copy it back first)");
  check_finite(v, what);
}

void require_same_shape(ConstBScanView a, ConstBScanView b, const char* a_name, const char* b_name) {
  if (a.n_samples != b.n_samples || a.n_traces != b.n_traces) {
    std::ostringstream msg;
    msg << a_name << " has shape (" << a.n_samples << ", " << a.n_traces << ") but " << b_name << " has shape ("
        << b.n_samples << ", " << b.n_traces << "); they must match";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
}

void check_window(ConstBScanView v, const TargetWindow& w) {
  std::ostringstream msg;
  if (w.sample_begin >= w.sample_end || w.trace_begin >= w.trace_end)
    msg << "target window is empty: samples [" << w.sample_begin << ", " << w.sample_end << "), traces ["
        << w.trace_begin << ", " << w.trace_end << ") (half-open ranges, begin < end)";
  else if (w.sample_end > v.n_samples || w.trace_end > v.n_traces)
    msg << "target window samples [" << w.sample_begin << ", " << w.sample_end << "), traces [" << w.trace_begin
        << ", " << w.trace_end << ") reaches outside the B-scan of shape (" << v.n_samples << ", " << v.n_traces
        << ")";
  else if ((w.sample_end - w.sample_begin) * (w.trace_end - w.trace_begin) == v.size())
    msg << "target window covers the whole B-scan: no clutter is left to compare against";
  else
    return;
  throw InvalidArgument(msg.str());
}

double decibels(double ratio) {
  if (ratio == std::numeric_limits<double>::infinity()) return ratio;
  return 10.0 * std::log10(ratio);
}

}  // namespace

double signal_to_clutter_ratio(ConstBScanView b, const TargetWindow& w) {
  require_host(b, "B-scan");
  check_window(b, w);
  double inside = 0.0, outside = 0.0;
  for (std::size_t i = 0; i < b.n_samples; ++i) {
    const bool row_in = i >= w.sample_begin && i < w.sample_end;
    for (std::size_t j = 0; j < b.n_traces; ++j) {
      const double x = b.samples[i * b.n_traces + j];
      if (row_in && j >= w.trace_begin && j < w.trace_end)
        inside += x * x;
      else
        outside += x * x;
    }
  }
  const double n_in = static_cast<double>((w.sample_end - w.sample_begin) * (w.trace_end - w.trace_begin));
  const double n_out = static_cast<double>(b.size()) - n_in;
  const double p_in = inside / n_in, p_out = outside / n_out;
  if (p_out == 0.0) return p_in == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  if (p_in == 0.0) return -std::numeric_limits<double>::infinity();
  return decibels(p_in / p_out);
}

double scr_improvement(ConstBScanView before, ConstBScanView after, const TargetWindow& w) {
  require_same_shape(before, after, "B-scan before", "B-scan after");
  return signal_to_clutter_ratio(after, w) - signal_to_clutter_ratio(before, w);
}

double psnr(ConstBScanView result, ConstBScanView reference) {
  require_host(result, "result B-scan");
  require_host(reference, "reference B-scan");
  require_same_shape(result, reference, "result B-scan", "reference B-scan");
  double peak = 0.0, squared_error = 0.0;
  for (std::size_t k = 0; k < reference.size(); ++k) {
    const double r = reference.samples[k];
    const double d = static_cast<double>(result.samples[k]) - r;
    peak = std::max(peak, std::fabs(r));
    squared_error += d * d;
  }
  if (peak == 0.0) throw InvalidArgument("psnr: the reference B-scan is all zero, so it has no peak to compare with");
  if (squared_error == 0.0) return std::numeric_limits<double>::infinity();
  const double mse = squared_error / static_cast<double>(reference.size());
  return decibels(peak * peak / mse);
}

}  // namespace gprproc
