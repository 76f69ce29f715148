// Topographic (static) correction: per-trace delays from elevations, the
// padded output, and the fractional shifts by the time-zero windowed sinc
// (shift_traces, src/filters_time_zero.cpp).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/detail/geometry_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/geometry.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "geometry_cuda.hpp"
#endif

namespace gprproc {

using preprocessing::throw_parameter;

namespace {

const std::string kOp = "correct_topography";
constexpr double kSpeedOfLight = 299792458.0;
// More padding than this is a unit mistake, not a survey (it would also be a
// huge, mostly empty output).
constexpr double kMaxPadding = 1e7;

}  // namespace

TopographyPlan plan_topography(const std::vector<double>& elevations, const BScanMetadata& metadata,
                               std::size_t n_samples, const TopographyOptions& options) {
  preprocessing::check_time_axis(kOp, metadata);
  if (!(std::isfinite(options.velocity) && options.velocity > 0.0 && options.velocity <= kSpeedOfLight * (1 + 1e-9)))
    throw_parameter(kOp, "velocity", options.velocity,
                    "the ground's velocity must lie in (0, 3e8] m/s (a value like 0.1 is m/ns: multiply by 1e9)");
  if (elevations.empty()) throw InvalidArgument(kOp + ": no elevations given", ErrorCode::invalid_shape);
  if (n_samples == 0) throw InvalidArgument(kOp + ": the B-scan has no samples", ErrorCode::invalid_shape);
  for (std::size_t j = 0; j < elevations.size(); ++j)
    if (!std::isfinite(elevations[j]))
      throw_parameter(kOp, "elevations[" + std::to_string(j) + "]", elevations[j],
                      "every trace needs a finite elevation (m); fill or remove the traces without one");
  const double highest = *std::max_element(elevations.begin(), elevations.end());
  TopographyPlan plan;
  plan.datum = std::isnan(options.datum) ? highest : options.datum;
  preprocessing::require_finite(kOp, "datum", plan.datum);
  if (plan.datum < highest) {
    std::ostringstream msg;
    msg.precision(10);
    msg << kOp << ": the datum " << plan.datum << " m lies below the highest elevation " << highest
        << " m; it must lie at or above every trace (the shifts are then delays and no sample is lost)";
    throw InvalidArgument(msg.str());
  }
  plan.delays.resize(elevations.size());
  double most = 0.0;
  for (std::size_t j = 0; j < elevations.size(); ++j) {
    plan.delays[j] = detail::static_delay(plan.datum, elevations[j], options.velocity);
    most = std::max(most, plan.delays[j]);
  }
  // ceil, less a rounding allowance: a delay of exactly 3 dt pads 3 samples.
  const double padding = std::ceil(most / metadata.dt - 1e-9);
  if (padding > kMaxPadding) {
    std::ostringstream msg;
    msg << kOp << ": the largest delay (" << most << " s, " << padding << " samples of " << metadata.dt
        << " s) is implausible: are the elevations in metres and the velocity in m/s?";
    throw InvalidArgument(msg.str());
  }
  plan.n_samples_out = n_samples + static_cast<std::size_t>(std::max(0.0, padding));
  plan.parameters.add("velocity", options.velocity)
      .add("datum", plan.datum)
      .add("max_delay", most)
      .add("samples_added", plan.n_samples_out - n_samples)
      .add("interpolation_half_width", options.interpolation_half_width);
  return plan;
}

void correct_topography(ConstBScanView in, const BScanMetadata& metadata, const TopographyPlan& plan, BScanView out,
                        int interpolation_half_width, Device device) {
  validate(in, "correct_topography input");
  validate(preprocessing::as_const(out), "correct_topography output");
  if (plan.delays.size() != in.n_traces) {
    std::ostringstream msg;
    msg << kOp << ": the plan holds " << plan.delays.size() << " delays for " << in.n_traces << " traces";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (out.n_traces != in.n_traces || out.n_samples != plan.n_samples_out || plan.n_samples_out < in.n_samples) {
    std::ostringstream msg;
    msg << kOp << ": the output has shape (" << out.n_samples << ", " << out.n_traces << "); the plan makes ("
        << plan.n_samples_out << ", " << in.n_traces << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  for (std::size_t j = 0; j < plan.delays.size(); ++j)
    if (!(std::isfinite(plan.delays[j]) && plan.delays[j] >= 0.0))
      throw_parameter(kOp, "delays[" + std::to_string(j) + "]", plan.delays[j], "delays must be finite and >= 0 (s)");
  if (interpolation_half_width < 2 || interpolation_half_width > 32)
    throw_parameter(kOp, "interpolation_half_width", interpolation_half_width, "it must be 2..32 samples");
  if (preprocessing::overlaps(in, out)) throw InvalidArgument(kOp + ": the output must not overlap the input");
  const Device d = preprocessing::choose_device(kOp, device, {in.memory, out.memory});
  // The input, top-aligned in the longer output (rows are contiguous, so this
  // is one copy and one fill), then shifted in place.
  if (in.memory == Memory::host && out.memory == Memory::host) {
    std::memcpy(out.samples, in.samples, in.size() * sizeof(float));
    std::fill(out.samples + in.size(), out.samples + out.size(), 0.0f);
  } else {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::pad_samples(in, out);
#endif
  }
  std::vector<double> shifts(plan.delays.size());
  for (std::size_t j = 0; j < shifts.size(); ++j) shifts[j] = -plan.delays[j];  // out(t) = in(t - delay)
  shift_traces(preprocessing::as_const(out), metadata, shifts, out, interpolation_half_width, d);
}

BScan correct_topography(const BScan& in, const TopographyOptions& options, const std::vector<double>& elevations,
                         Device device) {
  std::vector<double> z = elevations;
  const bool from_positions = elevations.empty();
  if (from_positions) {
    if (in.positions.size() != 3 * in.n_traces())
      throw InvalidArgument(kOp + ": no elevations: give one per trace, or set the B-scan's positions (z, m)");
    z.resize(in.n_traces());
    for (std::size_t j = 0; j < z.size(); ++j) z[j] = in.positions[3 * j + 2];
  } else if (z.size() != in.n_traces()) {
    std::ostringstream msg;
    msg << kOp << ": " << z.size() << " elevations given for " << in.n_traces() << " traces; give one per trace (m)";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  const TopographyPlan plan = plan_topography(z, in.metadata, in.n_samples(), options);
  BScan out(plan.n_samples_out, in.n_traces(), in.metadata);
  correct_topography(in.view(), in.metadata, plan, out.view(), options.interpolation_half_width, device);
  out.positions = in.positions;
  out.marks = in.marks;
  out.history = in.history;
  HistoryParameters p = plan.parameters;
  p.add("elevations", from_positions ? "positions" : "given");
  append_history(out.history, kOp, p);
  return out;
}

}  // namespace gprproc
