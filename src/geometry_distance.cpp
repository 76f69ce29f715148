// Distance normalisation: per-trace distances (from marks, from positions, or
// given), stationary stretches, and the linear interpolation onto a regular
// grid, as trace mixes.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "filters_common.hpp"
#include "geometry_common.hpp"
#include "gprproc/error.hpp"
#include "gprproc/geometry.hpp"

namespace gprproc {

using geometry_detail::check_line;
using preprocessing::require_finite;
using preprocessing::throw_parameter;

namespace {

constexpr double kPi = 3.14159265358979323846;
// Grid points this close (in units of the spacing) to a range end or an input
// trace count as on it: distances built from sums of metres carry rounding.
constexpr double kOnGrid = 1e-9;

const char* stationary_name(StationaryTraces s) { return s == StationaryTraces::stack ? "stack" : "drop"; }

void check_spacing(const std::string& op, const DistanceOptions& options) {
  if (!(std::isfinite(options.spacing) && options.spacing > 0.0))
    throw_parameter(op, "spacing", options.spacing, "the new trace spacing (m) must be positive and finite");
}

void check_distances(const std::string& op, const std::vector<double>& d, std::size_t n_traces) {
  if (d.size() != n_traces) {
    std::ostringstream msg;
    msg << op << ": " << d.size() << " distances given for " << n_traces << " traces; give one per trace (m)";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  for (std::size_t j = 0; j < d.size(); ++j) {
    if (!std::isfinite(d[j])) throw_parameter(op, "distances[" + std::to_string(j) + "]", d[j], "distances must be finite (m)");
    if (j > 0 && d[j] < d[j - 1]) {
      std::ostringstream msg;
      msg.precision(10);
      msg << op << ": the distance decreases from trace " << j - 1 << " (" << d[j - 1] << " m) to trace " << j << " ("
          << d[j] << " m): the antenna moved backwards. Split the line there or remove the traces recorded while "
          << "backing up; distances must not decrease";
      throw InvalidArgument(msg.str());
    }
  }
}

// Consecutive traces at one distance: group g holds traces [first[g], first[g + 1]).
struct Groups {
  std::vector<std::size_t> first;  // size n_groups + 1
  std::vector<double> distance;    // size n_groups, strictly increasing
};

Groups group_stationary(const std::vector<double>& d) {
  Groups g;
  for (std::size_t j = 0; j < d.size(); ++j)
    if (j == 0 || d[j] != d[j - 1]) {
      g.first.push_back(j);
      g.distance.push_back(d[j]);
    }
  g.first.push_back(d.size());
  return g;
}

void add_group(TraceMix& mix, const Groups& g, std::size_t group, double weight, StationaryTraces stationary) {
  if (weight == 0.0) return;
  const std::size_t first = g.first[group], end = stationary == StationaryTraces::stack ? g.first[group + 1] : first + 1;
  const double w = weight / static_cast<double>(end - first);
  for (std::size_t j = first; j < end; ++j) {
    mix.index.push_back(j);
    mix.weight.push_back(w);
  }
}

// The grid origin + k * spacing over [lo, hi] (both within the distances' range).
TraceResampling plan_on_grid(const std::string& op, const LineGeometry& line, const std::vector<double>& d,
                             double origin, double lo, double hi, const DistanceOptions& options) {
  const double s = options.spacing;
  const double k_first = std::ceil((lo - origin) / s - kOnGrid), k_last = std::floor((hi - origin) / s + kOnGrid);
  if (!(k_last >= k_first)) {
    std::ostringstream msg;
    msg << op << ": no point of the grid " << origin << " + k * " << s << " m lies within the line's distances ["
        << lo << ", " << hi << "] m";
    throw InvalidArgument(msg.str());
  }
  if (k_last - k_first >= 1e9)
    throw_parameter(op, "spacing", s, "it makes more than 1e9 traces over " + std::to_string(hi - lo) +
                                          " m: is it in metres?");
  const std::size_t n_out = static_cast<std::size_t>(k_last - k_first) + 1;
  const Groups g = group_stationary(d);
  const std::size_t n_groups = g.distance.size();

  TraceResampling plan;
  std::size_t a = 0;  // the group at or before the current output distance
  for (std::size_t k = 0; k < n_out; ++k) {
    const double p = origin + (k_first + static_cast<double>(k)) * s;
    while (a + 1 < n_groups && g.distance[a + 1] <= p + kOnGrid * s) ++a;
    const double fraction =
        a + 1 < n_groups && std::abs(p - g.distance[a]) > kOnGrid * s
            ? std::clamp((p - g.distance[a]) / (g.distance[a + 1] - g.distance[a]), 0.0, 1.0)
            : 0.0;
    add_group(plan.mix, g, a, 1.0 - fraction, options.stationary);
    if (fraction > 0.0) add_group(plan.mix, g, a + 1, fraction, options.stationary);
    plan.mix.offsets.push_back(plan.mix.index.size());
  }
  plan.merged_traces = options.stationary == StationaryTraces::stack ? line.n_traces - n_groups : 0;
  plan.dropped_traces = geometry_detail::unused_traces(plan.mix, line.n_traces);

  LineGeometry& out = plan.geometry;
  out.n_traces = n_out;
  out.x0 = origin + k_first * s;
  out.dx = s;
  out.positions = geometry_detail::mix_positions(line.positions, plan.mix);
  std::vector<std::size_t> marks;
  for (std::size_t m : line.marks) {
    const double k = std::round((d[m] - out.x0) / s);
    if (k >= 0.0 && k < static_cast<double>(n_out)) marks.push_back(static_cast<std::size_t>(k));
  }
  out.marks = geometry_detail::unique_sorted(std::move(marks));
  plan.operation = op;
  plan.parameters.add("spacing", s)
      .add("interpolation", "linear")
      .add("stationary", stationary_name(options.stationary))
      .add("merged_traces", plan.merged_traces)
      .add("unused_traces", plan.dropped_traces)
      .add("first_distance", out.x0)
      .add("last_distance", out.x0 + static_cast<double>(n_out - 1) * s);
  return plan;
}

}  // namespace

TraceResampling plan_distance_normalization(const LineGeometry& line, const std::vector<double>& distances,
                                            double origin, const DistanceOptions& options) {
  const std::string op = "normalize_distance";
  check_line(op, line);
  check_spacing(op, options);
  require_finite(op, "origin", origin);
  check_distances(op, distances, line.n_traces);
  return plan_on_grid(op, line, distances, origin, distances.front(), distances.back(), options);
}

BScan normalize_distance(const BScan& in, const std::vector<double>& distances, const DistanceOptions& options,
                         Device device) {
  const LineGeometry line = LineGeometry::of(in);
  check_distances("normalize_distance", distances, line.n_traces);
  TraceResampling plan = plan_distance_normalization(line, distances, distances.front(), options);
  plan.parameters.add("source", "distances");
  return apply_resampling(in, plan, device);
}

// ---- (a) between marks

std::vector<double> distances_from_marks(std::size_t n_traces, const std::vector<std::size_t>& marks,
                                         const MarkOptions& options) {
  const std::string op = "normalize_distance_by_marks";
  if (!(std::isfinite(options.mark_spacing) && options.mark_spacing > 0.0))
    throw_parameter(op, "mark_spacing", options.mark_spacing, "the distance between marks (m) must be positive and finite");
  require_finite(op, "first_mark_distance", options.first_mark_distance);
  if (marks.size() < 2)
    throw InvalidArgument(op + ": " + std::to_string(marks.size()) +
                          " mark(s) on the line; normalising between marks needs at least 2");
  LineGeometry check;
  check.n_traces = n_traces;
  check.marks = marks;
  check_line(op, check);
  std::vector<double> d(n_traces);
  const double s = options.mark_spacing, d0 = options.first_mark_distance;
  std::size_t k = 0;  // the interval [marks[k], marks[k + 1]] used for trace j (the end ones extend outwards)
  for (std::size_t j = 0; j < n_traces; ++j) {
    while (k + 2 < marks.size() && j >= marks[k + 1]) ++k;
    const double a = static_cast<double>(marks[k]), b = static_cast<double>(marks[k + 1]);
    d[j] = d0 + (static_cast<double>(k) + (static_cast<double>(j) - a) / (b - a)) * s;
  }
  return d;
}

TraceResampling plan_normalization_by_marks(const LineGeometry& line, const MarkOptions& marks,
                                            const DistanceOptions& options) {
  const std::string op = "normalize_distance_by_marks";
  check_line(op, line);
  check_spacing(op, options);
  const std::vector<double> d = distances_from_marks(line.n_traces, line.marks, marks);
  const double first = marks.first_mark_distance;
  const double last = first + static_cast<double>(line.marks.size() - 1) * marks.mark_spacing;
  const bool inside = marks.outside == OutsideMarks::drop;
  TraceResampling plan =
      plan_on_grid(op, line, d, first, inside ? first : d.front(), inside ? last : d.back(), options);
  plan.parameters.add("mark_spacing", marks.mark_spacing)
      .add("first_mark_distance", first)
      .add("marks", line.marks.size())
      .add("outside_marks", inside ? "drop" : "extrapolate");
  return plan;
}

BScan normalize_distance_by_marks(const BScan& in, const MarkOptions& marks, const DistanceOptions& options,
                                  Device device) {
  return apply_resampling(in, plan_normalization_by_marks(LineGeometry::of(in), marks, options), device);
}

// ---- (b) from positions

std::vector<double> distances_along_path(const std::vector<double>& positions, std::size_t n_traces, double x0,
                                         const PathOptions& options) {
  const std::string op = "normalize_distance_by_positions";
  if (positions.empty())
    throw InvalidArgument(op + ": the line has no positions; set BScan::positions (n_traces x 3, m) or give distances");
  LineGeometry check;
  check.n_traces = n_traces;
  check.x0 = x0;
  check.positions = positions;
  check_line(op, check);
  const double tol = options.stationary_tolerance;
  if (!(std::isfinite(tol) && tol >= 0.0))
    throw_parameter(op, "stationary_tolerance", tol, "it must be a finite distance >= 0 (m)");
  std::vector<double> d(n_traces, x0);
  std::size_t anchor = 0;  // the last trace where the antenna was seen to move (stationary steps are measured from it)
  double last_x = 0.0, last_y = 0.0;
  bool moved = false;
  for (std::size_t j = 1; j < n_traces; ++j) {
    const double sx = positions[3 * j] - positions[3 * anchor], sy = positions[3 * j + 1] - positions[3 * anchor + 1];
    const double step = std::hypot(sx, sy);
    if (step <= tol) {
      d[j] = d[anchor];
      continue;
    }
    const double ux = sx / step, uy = sy / step;
    if (moved && ux * last_x + uy * last_y < 0.0) {
      const double turn = std::acos(std::clamp(ux * last_x + uy * last_y, -1.0, 1.0)) * 180.0 / kPi;
      std::ostringstream msg;
      msg.precision(10);
      msg << op << ": the antenna moves backwards between trace " << anchor << " (x " << positions[3 * anchor]
          << ", y " << positions[3 * anchor + 1] << ") and trace " << j << " (x " << positions[3 * j] << ", y "
          << positions[3 * j + 1] << " m): the step turns " << turn << " degrees from the previous direction. "
          << "Split the line at trace " << j << ", remove the traces recorded while backing up, or raise "
          << "stationary_tolerance (now " << tol << " m) if this is GPS jitter";
      throw InvalidArgument(msg.str());
    }
    last_x = ux;
    last_y = uy;
    moved = true;
    d[j] = d[anchor] + step;
    anchor = j;
  }
  return d;
}

TraceResampling plan_normalization_by_positions(const LineGeometry& line, const PathOptions& path,
                                                const DistanceOptions& options) {
  const std::string op = "normalize_distance_by_positions";
  check_line(op, line);
  check_spacing(op, options);
  const std::vector<double> d = distances_along_path(line.positions, line.n_traces, line.x0, path);
  TraceResampling plan = plan_on_grid(op, line, d, d.front(), d.front(), d.back(), options);
  plan.parameters.add("stationary_tolerance", path.stationary_tolerance)
      .add("path_length", d.back() - d.front());
  return plan;
}

BScan normalize_distance_by_positions(const BScan& in, const PathOptions& path, const DistanceOptions& options,
                                      Device device) {
  return apply_resampling(in, plan_normalization_by_positions(LineGeometry::of(in), path, options), device);
}

}  // namespace gprproc
