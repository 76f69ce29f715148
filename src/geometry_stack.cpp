// Trace stacking and decimation: their plans (mixes and the geometry of the
// result) and the B-scan level.
#include <algorithm>
#include <vector>

#include "geometry_common.hpp"
#include "gprproc/geometry.hpp"

namespace gprproc {

using geometry_detail::check_line;
using geometry_detail::check_trace_count;
using geometry_detail::mix_positions;
using geometry_detail::unique_sorted;

namespace {

const char* partial_name(PartialGroup p) { return p == PartialGroup::drop ? "drop" : "average"; }

void add_term(TraceMix& mix, std::size_t trace, double weight) {
  mix.index.push_back(trace);
  mix.weight.push_back(weight);
}

void end_output(TraceMix& mix) { mix.offsets.push_back(mix.index.size()); }

}  // namespace

TraceResampling plan_stack(const LineGeometry& line, const StackOptions& options) {
  const std::string op = "stack_traces";
  check_line(op, line);
  check_trace_count(op, "traces", options.traces, line.n_traces);
  const std::size_t n = line.n_traces, group = options.traces;
  const std::size_t full = n / group, rest = n % group;
  const bool keep_partial = rest != 0 && options.partial == PartialGroup::average;
  const std::size_t n_out = full + (keep_partial ? 1 : 0);

  TraceResampling plan;
  for (std::size_t g = 0; g < n_out; ++g) {
    const std::size_t first = g * group, last = std::min(n, first + group);
    const double w = 1.0 / static_cast<double>(last - first);
    for (std::size_t j = first; j < last; ++j) add_term(plan.mix, j, w);
    end_output(plan.mix);
  }
  plan.dropped_traces = keep_partial ? 0 : rest;

  LineGeometry& out = plan.geometry;
  out.n_traces = n_out;
  out.dx = line.dx * static_cast<double>(group);
  out.x0 = line.x0 + 0.5 * static_cast<double>(group - 1) * line.dx;  // the centre of the first group
  out.positions = mix_positions(line.positions, plan.mix);
  std::vector<std::size_t> marks;
  for (std::size_t m : line.marks)
    if (m / group < n_out) marks.push_back(m / group);
  out.marks = unique_sorted(std::move(marks));

  plan.operation = op;
  plan.parameters.add("traces", group)
      .add("partial", partial_name(options.partial))
      .add("dropped_traces", plan.dropped_traces)
      .add("partial_group_traces", keep_partial ? rest : std::size_t{0});
  return plan;
}

BScan stack_traces(const BScan& in, const StackOptions& options, Device device) {
  return apply_resampling(in, plan_stack(LineGeometry::of(in), options), device);
}

TraceResampling plan_decimation(const LineGeometry& line, const DecimationOptions& options) {
  const std::string op = "decimate_traces";
  check_line(op, line);
  check_trace_count(op, "factor", options.factor, line.n_traces);
  const std::size_t n = line.n_traces, f = options.factor;
  const std::size_t n_out = (n - 1) / f + 1;
  const std::size_t half = f / 2;  // odd f: (f - 1) / 2, a boxcar of f; even f: f / 2, half-weight ends
  const bool even = f % 2 == 0;

  TraceResampling plan;
  for (std::size_t k = 0; k < n_out; ++k) {
    const std::size_t c = k * f;
    if (!options.anti_alias || f == 1) {
      add_term(plan.mix, c, 1.0);
    } else {
      // The window shrinks symmetrically near the ends so the mean stays
      // centred on the kept trace (no shift of the output's position).
      const std::size_t r = std::min({half, c, n - 1 - c});
      if (r == half && even) {
        const double w = 1.0 / static_cast<double>(f);
        for (std::size_t j = c - r; j <= c + r; ++j) add_term(plan.mix, j, (j == c - r || j == c + r) ? 0.5 * w : w);
      } else {
        const double w = 1.0 / static_cast<double>(2 * r + 1);
        for (std::size_t j = c - r; j <= c + r; ++j) add_term(plan.mix, j, w);
      }
    }
    end_output(plan.mix);
  }
  plan.dropped_traces = geometry_detail::unused_traces(plan.mix, n);

  LineGeometry& out = plan.geometry;
  out.n_traces = n_out;
  out.x0 = line.x0;
  out.dx = line.dx * static_cast<double>(f);
  out.positions = mix_positions(line.positions, plan.mix);
  std::vector<std::size_t> marks;
  for (std::size_t m : line.marks) marks.push_back(std::min(n_out - 1, (m + f / 2) / f));  // the nearest kept trace
  out.marks = unique_sorted(std::move(marks));

  plan.operation = op;
  plan.parameters.add("factor", f).add("anti_alias", options.anti_alias).add("unused_traces", plan.dropped_traces);
  return plan;
}

BScan decimate_traces(const BScan& in, const DecimationOptions& options, Device device) {
  return apply_resampling(in, plan_decimation(LineGeometry::of(in), options), device);
}

}  // namespace gprproc
