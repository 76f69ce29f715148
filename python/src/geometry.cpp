// Bindings of the field-geometry steps (gprproc/geometry.hpp): the along-line
// plans (host geometry only, returned as an opaque _core.TraceResampling), the
// trace mix and the other kernels at view level (GIL released around them);
// python/gprproc/geometry.py wraps them.
#include <cstdint>
#include <string>
#include <vector>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/geometry.hpp"

namespace gprproc::python {

namespace {

// Positions arrive as None or a float64 array the Python layer has shaped
// (n_traces, 3); marks as None or a list of non-negative ints.
LineGeometry line_from(std::size_t n_traces, double x0, double dx, const py::object& positions,
                       const py::object& marks) {
  LineGeometry line;
  line.n_traces = n_traces;
  line.x0 = x0;
  line.dx = dx;
  if (!positions.is_none()) {
    const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(positions);
    if (!array) throw InvalidArgument("positions must be a float array of shape (n_traces, 3)", ErrorCode::invalid_shape);
    line.positions.assign(array.data(), array.data() + array.size());
  }
  if (!marks.is_none()) line.marks = marks.cast<std::vector<std::size_t>>();
  return line;
}

py::object positions_to_python(const std::vector<double>& positions) {
  if (positions.empty()) return py::none();
  return to_numpy(std::vector<double>(positions), {static_cast<py::ssize_t>(positions.size() / 3), 3});
}

StationaryTraces parse_stationary(const std::string& s) {
  if (s == "stack") return StationaryTraces::stack;
  if (s == "drop") return StationaryTraces::drop;
  throw InvalidArgument("stationary must be 'stack' or 'drop', got '" + s + "'");
}

DistanceOptions distance_options(double spacing, const std::string& stationary) {
  DistanceOptions o;
  o.spacing = spacing;
  o.stationary = parse_stationary(stationary);
  return o;
}

py::dict report_to_python(const SaturationReport& r) {
  py::dict d;
  d["low"] = r.low;
  d["high"] = r.high;
  d["low_inferred"] = r.low_inferred;
  d["high_inferred"] = r.high_inferred;
  d["fraction"] = to_numpy(std::vector<double>(r.fraction), {static_cast<py::ssize_t>(r.fraction.size())});
  std::vector<std::int64_t> runs(r.longest_run.begin(), r.longest_run.end());
  d["longest_run"] = to_numpy(std::move(runs), {static_cast<py::ssize_t>(r.longest_run.size())});
  std::vector<std::int64_t> traces(r.saturated_traces.begin(), r.saturated_traces.end());
  d["saturated_traces"] = to_numpy(std::move(traces), {static_cast<py::ssize_t>(r.saturated_traces.size())});
  d["clipped_samples"] = r.clipped_samples;
  d["n_samples"] = r.n_samples;
  d["threshold"] = r.threshold;
  d["summary"] = r.summary();
  d["history_parameters"] = saturation_history(r).json();
  return d;
}

}  // namespace

void register_geometry(py::module_& m) {
  py::class_<TraceResampling>(m, "TraceResampling", "A planned along-line resampling (see gprproc/geometry.hpp)")
      .def_property_readonly("n_traces", [](const TraceResampling& p) { return p.mix.n_out(); })
      .def_property_readonly("x0", [](const TraceResampling& p) { return p.geometry.x0; })
      .def_property_readonly("dx", [](const TraceResampling& p) { return p.geometry.dx; })
      .def_property_readonly("positions", [](const TraceResampling& p) { return positions_to_python(p.geometry.positions); })
      .def_property_readonly("marks", [](const TraceResampling& p) { return p.geometry.marks; })
      .def_readonly("dropped_traces", &TraceResampling::dropped_traces)
      .def_readonly("merged_traces", &TraceResampling::merged_traces)
      .def_readonly("operation", &TraceResampling::operation)
      .def_property_readonly("parameters_json", [](const TraceResampling& p) { return p.parameters.json(); });

  m.def(
      "plan_stack",
      [](std::size_t n_traces, double x0, double dx, const py::object& positions, const py::object& marks,
         std::size_t traces, const std::string& partial) {
        StackOptions o;
        o.traces = traces;
        if (partial == "drop") o.partial = PartialGroup::drop;
        else if (partial == "average") o.partial = PartialGroup::average;
        else throw InvalidArgument("partial must be 'drop' or 'average', got '" + partial + "'");
        return plan_stack(line_from(n_traces, x0, dx, positions, marks), o);
      },
      py::arg("n_traces"), py::arg("x0"), py::arg("dx"), py::arg("positions"), py::arg("marks"), py::arg("traces"),
      py::arg("partial"));

  m.def(
      "plan_decimation",
      [](std::size_t n_traces, double x0, double dx, const py::object& positions, const py::object& marks,
         std::size_t factor, bool anti_alias) {
        DecimationOptions o;
        o.factor = factor;
        o.anti_alias = anti_alias;
        return plan_decimation(line_from(n_traces, x0, dx, positions, marks), o);
      },
      py::arg("n_traces"), py::arg("x0"), py::arg("dx"), py::arg("positions"), py::arg("marks"), py::arg("factor"),
      py::arg("anti_alias"));

  m.def(
      "plan_normalization_by_marks",
      [](std::size_t n_traces, double x0, double dx, const py::object& positions, const py::object& marks,
         double mark_spacing, double first_mark_distance, const std::string& outside, double spacing,
         const std::string& stationary) {
        MarkOptions mo;
        mo.mark_spacing = mark_spacing;
        mo.first_mark_distance = first_mark_distance;
        if (outside == "extrapolate") mo.outside = OutsideMarks::extrapolate;
        else if (outside == "drop") mo.outside = OutsideMarks::drop;
        else throw InvalidArgument("outside must be 'extrapolate' or 'drop', got '" + outside + "'");
        return plan_normalization_by_marks(line_from(n_traces, x0, dx, positions, marks), mo,
                                           distance_options(spacing, stationary));
      },
      py::arg("n_traces"), py::arg("x0"), py::arg("dx"), py::arg("positions"), py::arg("marks"),
      py::arg("mark_spacing"), py::arg("first_mark_distance"), py::arg("outside"), py::arg("spacing"),
      py::arg("stationary"));

  m.def(
      "plan_normalization_by_positions",
      [](std::size_t n_traces, double x0, double dx, const py::object& positions, const py::object& marks,
         double stationary_tolerance, double spacing, const std::string& stationary) {
        PathOptions path;
        path.stationary_tolerance = stationary_tolerance;
        return plan_normalization_by_positions(line_from(n_traces, x0, dx, positions, marks), path,
                                               distance_options(spacing, stationary));
      },
      py::arg("n_traces"), py::arg("x0"), py::arg("dx"), py::arg("positions"), py::arg("marks"),
      py::arg("stationary_tolerance"), py::arg("spacing"), py::arg("stationary"));

  m.def(
      "plan_distance_normalization",
      [](std::size_t n_traces, double x0, double dx, const py::object& positions, const py::object& marks,
         const std::vector<double>& distances, double spacing, const std::string& stationary) {
        if (distances.empty()) throw InvalidArgument("normalize_distance: no distances given", ErrorCode::invalid_shape);
        TraceResampling plan = plan_distance_normalization(line_from(n_traces, x0, dx, positions, marks), distances,
                                                           distances.front(), distance_options(spacing, stationary));
        plan.parameters.add("source", "distances");
        return plan;
      },
      py::arg("n_traces"), py::arg("x0"), py::arg("dx"), py::arg("positions"), py::arg("marks"),
      py::arg("distances"), py::arg("spacing"), py::arg("stationary"));

  m.def(
      "distances_along_path",
      [](const py::object& positions, std::size_t n_traces, double x0, double stationary_tolerance) {
        PathOptions path;
        path.stationary_tolerance = stationary_tolerance;
        std::vector<double> d =
            distances_along_path(line_from(n_traces, x0, 0.0, positions, py::none()).positions, n_traces, x0, path);
        return to_numpy(std::move(d), {static_cast<py::ssize_t>(n_traces)});
      },
      py::arg("positions"), py::arg("n_traces"), py::arg("x0"), py::arg("stationary_tolerance"),
      "Distance (m) of every trace along the path of its positions, from x0.");

  m.def(
      "apply_trace_mix",
      [](py::object input, py::object output, const TraceResampling& plan, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::apply_trace_mix(in, plan.mix, out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("plan"), py::arg("device") = "auto",
      "Mixes the traces of `input` into `output` (n_samples, plan.n_traces) as the plan says.");

  m.def(
      "detect_saturation",
      [](py::object input, double low, double high, double tolerance, std::size_t min_run, double threshold,
         const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        SaturationOptions o;
        o.low = low;
        o.high = high;
        o.tolerance = tolerance;
        o.min_run = min_run;
        o.threshold = threshold;
        const Device where = parse_device(device);
        SaturationReport r;
        {
          py::gil_scoped_release release;
          r = gprproc::detect_saturation(in, o, where);
        }
        return report_to_python(r);
      },
      py::arg("input"), py::arg("low"), py::arg("high"), py::arg("tolerance"), py::arg("min_run"),
      py::arg("threshold"), py::arg("device") = "auto",
      "Per-trace saturation report (NaN limits: inferred); the samples are not changed.");

  m.def(
      "signed_integer_limits",
      [](int bits) {
        const SaturationOptions o = SaturationOptions::signed_integer(bits);
        return py::make_tuple(o.low, o.high);
      },
      py::arg("bits"));

  m.def(
      "plan_topography",
      [](const std::vector<double>& elevations, const BScanMetadata& metadata, std::size_t n_samples, double velocity,
         double datum, int half_width) {
        TopographyOptions o;
        o.velocity = velocity;
        o.datum = datum;
        o.interpolation_half_width = half_width;
        const TopographyPlan plan = gprproc::plan_topography(elevations, metadata, n_samples, o);
        py::dict d;
        d["delays"] = to_numpy(std::vector<double>(plan.delays), {static_cast<py::ssize_t>(plan.delays.size())});
        d["datum"] = plan.datum;
        d["n_samples_out"] = plan.n_samples_out;
        d["parameters_json"] = plan.parameters.json();
        return d;
      },
      py::arg("elevations"), py::arg("metadata"), py::arg("n_samples"), py::arg("velocity"), py::arg("datum"),
      py::arg("half_width"));

  m.def(
      "correct_topography",
      [](py::object input, py::object output, const BScanMetadata& metadata, const std::vector<double>& delays,
         double datum, int half_width, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        TopographyPlan plan;
        plan.delays = delays;
        plan.datum = datum;
        plan.n_samples_out = out.n_samples;
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::correct_topography(in, metadata, plan, out, half_width, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("delays"), py::arg("datum"),
      py::arg("half_width"), py::arg("device") = "auto",
      "Delays each trace of `input` by `delays` (s) into the longer `output`.");
}

}  // namespace gprproc::python
