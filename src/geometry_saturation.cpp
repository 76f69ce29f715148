// Saturation (clipping) detection: per-trace counts of samples at the
// digitiser's limits (given, or inferred from flat extremes), CPU loops and
// dispatch, the report and its history entry. The samples are never changed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/detail/geometry_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/geometry.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "geometry_cuda.hpp"
#endif

namespace gprproc {

using preprocessing::throw_parameter;

namespace {

const std::string kOp = "detect_saturation";
constexpr double kInf = std::numeric_limits<double>::infinity();

void check_options(const SaturationOptions& o) {
  if (!std::isnan(o.low) && !std::isfinite(o.low)) throw_parameter(kOp, "low", o.low, "the low limit must be finite, or NaN to infer it");
  if (!std::isnan(o.high) && !std::isfinite(o.high)) throw_parameter(kOp, "high", o.high, "the high limit must be finite, or NaN to infer it");
  if (!(std::isfinite(o.tolerance) && o.tolerance >= 0.0)) throw_parameter(kOp, "tolerance", o.tolerance, "it must be finite and >= 0 (data units)");
  if (!std::isnan(o.low) && !std::isnan(o.high) && !(o.low + o.tolerance < o.high - o.tolerance)) {
    std::ostringstream msg;
    msg << kOp << ": the limits low = " << o.low << " and high = " << o.high << " (tolerance " << o.tolerance
        << ") leave no sample between them; low + tolerance must lie below high - tolerance";
    throw InvalidArgument(msg.str());
  }
  if (o.min_run < 2) throw_parameter(kOp, "min_run", static_cast<double>(o.min_run), "it must be at least 2 samples");
  if (!(o.threshold >= 0.0 && o.threshold < 1.0)) throw_parameter(kOp, "threshold", o.threshold, "it is a fraction of a trace's samples in [0, 1)");
}

// Column blocks: each thread walks the rows of its block of traces, keeping
// one state per trace (rows are contiguous, traces a row apart).
constexpr std::size_t kBlock = 256;

void extremes_cpu(ConstBScanView in, float& lowest, float& highest) {
  const std::size_t ns = in.n_samples, nt = in.n_traces;
  const long n_blocks = static_cast<long>((nt + kBlock - 1) / kBlock);
  float lo = std::numeric_limits<float>::infinity(), hi = -std::numeric_limits<float>::infinity();
#pragma omp parallel for schedule(static) reduction(min : lo) reduction(max : hi) \
    num_threads(preprocessing::memory_bound_threads(in.size()))
  for (long b = 0; b < n_blocks; ++b) {
    const std::size_t j0 = static_cast<std::size_t>(b) * kBlock, j1 = std::min(nt, j0 + kBlock);
    for (std::size_t i = 0; i < ns; ++i)
      for (std::size_t j = j0; j < j1; ++j) detail::extremes_update(in.samples[i * nt + j], lo, hi);
  }
  lowest = lo;
  highest = hi;
}

void counts_cpu(ConstBScanView in, double low, double high, double tolerance, std::vector<detail::SaturationCounter>& c) {
  const std::size_t ns = in.n_samples, nt = in.n_traces;
  const long n_blocks = static_cast<long>((nt + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static) num_threads(preprocessing::memory_bound_threads(in.size()))
  for (long b = 0; b < n_blocks; ++b) {
    const std::size_t j0 = static_cast<std::size_t>(b) * kBlock, j1 = std::min(nt, j0 + kBlock);
    for (std::size_t i = 0; i < ns; ++i)
      for (std::size_t j = j0; j < j1; ++j) detail::saturation_update(c[j], in.samples[i * nt + j], low, high, tolerance);
  }
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

SaturationOptions SaturationOptions::signed_integer(int bits) {
  if (bits < 2 || bits > 32) throw_parameter(kOp, "bits", bits, "a signed integer digitiser has 2..32 bits");
  SaturationOptions o;
  o.high = std::ldexp(1.0, bits - 1) - 1.0;
  o.low = -std::ldexp(1.0, bits - 1);
  return o;
}

SaturationReport detect_saturation(ConstBScanView in, const SaturationOptions& options, Device device) {
  validate(in, "detect_saturation input");
  check_options(options);
  const Device d = preprocessing::choose_device(kOp, device, {in.memory});
  const bool on_gpu = d == Device::cuda;
  if (!on_gpu) preprocessing::check_input_finite(kOp, in);
  const std::size_t nt = in.n_traces;

  SaturationReport r;
  r.n_samples = in.n_samples;
  r.threshold = options.threshold;
  r.low = std::isnan(options.low) ? -kInf : options.low;
  r.high = std::isnan(options.high) ? kInf : options.high;
  const bool infer_low = std::isnan(options.low), infer_high = std::isnan(options.high);
  if (infer_low || infer_high) {
    float lowest = 0.0f, highest = 0.0f;
#ifdef GPRPROC_HAS_CUDA
    if (on_gpu) {
      std::vector<float> lo(nt), hi(nt);
      cuda_backend::trace_extremes(in, lo.data(), hi.data());
      lowest = *std::min_element(lo.begin(), lo.end());
      highest = *std::max_element(hi.begin(), hi.end());
    } else
#endif
      extremes_cpu(in, lowest, highest);
    // Candidates only: accepted below where some trace holds them flat. A
    // record whose extremes lie within the tolerance of each other (a dead,
    // constant record) has no limit to infer.
    if (static_cast<double>(lowest) + options.tolerance < static_cast<double>(highest) - options.tolerance) {
      if (infer_low) r.low = lowest;
      if (infer_high) r.high = highest;
    }
  }

  std::vector<detail::SaturationCounter> c(nt, detail::saturation_counter());
#ifdef GPRPROC_HAS_CUDA
  if (on_gpu) cuda_backend::saturation_counts(in, r.low, r.high, options.tolerance, c.data());
  else
#endif
    counts_cpu(in, r.low, r.high, options.tolerance, c);

  const auto longest = [&](bool low) {
    unsigned long long m = 0;
    for (const auto& t : c) m = std::max(m, low ? t.longest_low : t.longest_high);
    return static_cast<std::size_t>(m);
  };
  bool use_low = std::isfinite(r.low), use_high = std::isfinite(r.high);
  if (infer_low && use_low && longest(true) < options.min_run) {
    r.low = -kInf;  // the minimum is never flat: a peak, not a limit
    use_low = false;
  }
  if (infer_high && use_high && longest(false) < options.min_run) {
    r.high = kInf;
    use_high = false;
  }
  r.low_inferred = infer_low && use_low;
  r.high_inferred = infer_high && use_high;

  r.fraction.resize(nt);
  r.longest_run.resize(nt);
  for (std::size_t j = 0; j < nt; ++j) {
    const unsigned long long at = (use_low ? c[j].at_low : 0) + (use_high ? c[j].at_high : 0);
    r.fraction[j] = static_cast<double>(at) / static_cast<double>(in.n_samples);
    r.longest_run[j] = static_cast<std::size_t>(
        std::max(use_low ? c[j].longest_low : 0ULL, use_high ? c[j].longest_high : 0ULL));
    r.clipped_samples += static_cast<std::size_t>(at);
    if (r.fraction[j] > options.threshold) r.saturated_traces.push_back(j);
  }
  return r;
}

SaturationReport detect_saturation(const BScan& in, const SaturationOptions& options, Device device) {
  return detect_saturation(in.view(), options, device);
}

std::string SaturationReport::summary() const {
  std::ostringstream out;
  const std::size_t nt = fraction.size();
  const auto limit = [](double v, bool inferred) {
    if (!std::isfinite(v)) return std::string("none");
    return number(v) + (inferred ? " (inferred)" : "");
  };
  out << saturated_traces.size() << " of " << nt << " traces saturated (more than " << number(100.0 * threshold)
      << "% of their samples at the digitiser limits low " << limit(low, low_inferred) << ", high "
      << limit(high, high_inferred) << ")";
  if (!saturated_traces.empty()) {
    out << ": traces ";
    const std::size_t shown = std::min<std::size_t>(saturated_traces.size(), 10);
    for (std::size_t k = 0; k < shown; ++k) out << (k ? ", " : "") << saturated_traces[k];
    if (shown < saturated_traces.size()) out << ", ...";
  }
  return out.str();
}

HistoryParameters saturation_history(const SaturationReport& report) {
  double worst = 0.0;
  for (double f : report.fraction) worst = std::max(worst, f);
  std::vector<double> first;
  for (std::size_t k = 0; k < report.saturated_traces.size() && k < 100; ++k)
    first.push_back(static_cast<double>(report.saturated_traces[k]));
  HistoryParameters p;
  p.add("summary", report.summary())
      .add("saturated_traces", report.saturated_traces.size())
      .add("first_saturated_traces", first)
      .add("max_fraction", worst)
      .add("clipped_samples", report.clipped_samples)
      .add("threshold", report.threshold)
      .add("low", report.low)
      .add("high", report.high)
      .add("low_inferred", report.low_inferred)
      .add("high_inferred", report.high_inferred);
  return p;
}

bool record_saturation(BScan& bscan, const SaturationReport& report) {
  if (!report.exceeded()) return false;
  append_history(bscan.history, "saturation_warning", saturation_history(report));
  return true;
}

}  // namespace gprproc
