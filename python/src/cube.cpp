// Bindings of the cube-wide operations (gprproc/cube_operations.hpp,
// gprproc/slice.hpp, gprproc/detect_3d.hpp), view level; python/gprproc/cube.py
// wraps them. A cube (n_lines, n_samples, n_traces) arrives as its 2-D
// (n_lines * n_samples, n_traces) view plus n_lines, as the background stack does.
#include <limits>
#include <type_traits>
#include <string>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/cube_operations.hpp"
#include "gprproc/detect_3d.hpp"
#include "gprproc/slice.hpp"

namespace gprproc::python {

namespace {

template <class View>
auto as_stack(View joined, std::size_t n_lines, const char* name) {
  if (n_lines == 0 || joined.n_samples % n_lines != 0)
    throw InvalidArgument(std::string("argument '") + name + "': " + std::to_string(joined.n_samples) +
                              " rows do not split into " + std::to_string(n_lines) + " lines",
                          ErrorCode::invalid_shape);
  using T = std::remove_pointer_t<decltype(joined.samples)>;
  return BasicBScanStackView<T>{joined.samples, n_lines, joined.n_samples / n_lines, joined.n_traces, joined.memory};
}

py::dict cscan_to_python(CScan&& c) {
  py::dict out;
  const auto lines = static_cast<py::ssize_t>(c.n_lines), traces = static_cast<py::ssize_t>(c.n_traces);
  out["data"] = to_numpy(std::move(c.values), {lines, traces});
  out["x0"] = c.x0;
  out["dx"] = c.dx;
  out["y0"] = c.y0;
  out["dy"] = c.dy;
  out["axis"] = c.axis;
  out["level"] = c.level;
  out["thickness"] = c.thickness;
  out["measure"] = c.measure;
  return out;
}

}  // namespace

void register_cube(py::module_& m) {
  m.def(
      "remove_cube_mean",
      [](py::object input, py::object output, std::size_t n_lines, const std::string& device) {
        const ConstBScanStackView in = as_stack(input_view(input, "input"), n_lines, "input");
        const BScanStackView out = as_stack(output_view(output, "output"), n_lines, "output");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::remove_cube_mean(in, out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("n_lines"), py::arg("device") = "auto",
      "Subtract the mean trace over every trace of every line; the cube as its (n_lines * n_samples, n_traces) view.");

  m.def(
      "depth_slice",
      [](py::object image, std::size_t n_lines, const ImageGrid& plane, double dy, double y0, double depth,
         double thickness, const std::string& device) {
        const ConstBScanStackView in = as_stack(input_view(image, "image"), n_lines, "image");
        ImageGrid3D grid;
        grid.plane = plane;
        grid.dy = dy;
        grid.y0 = y0;
        const Device where = parse_device(device);
        CScan c;
        {
          py::gil_scoped_release release;
          c = gprproc::depth_slice(in, grid, depth, thickness, where);
        }
        return cscan_to_python(std::move(c));
      },
      py::arg("image"), py::arg("n_lines"), py::arg("grid"), py::arg("dy"), py::arg("y0"), py::arg("depth"),
      py::arg("thickness") = 0.0, py::arg("device") = "auto",
      "Depth slice (C-scan) of a 3-D image given as its (n_lines * n_z, n_x) view: a dict with 'data' "
      "(n_lines, n_x) and its axes.");

  m.def(
      "time_slice",
      [](py::object cube, std::size_t n_lines, const BScanMetadata& line, double dy, double y0, double time,
         double window, const std::string& device) {
        const ConstBScanStackView in = as_stack(input_view(cube, "cube"), n_lines, "cube");
        const CubeMetadata metadata{line, dy, y0};
        const Device where = parse_device(device);
        CScan c;
        {
          py::gil_scoped_release release;
          c = gprproc::time_slice(in, metadata, time, window, where);
        }
        return cscan_to_python(std::move(c));
      },
      py::arg("cube"), py::arg("n_lines"), py::arg("metadata"), py::arg("dy"), py::arg("y0"), py::arg("time"),
      py::arg("window") = 0.0, py::arg("device") = "auto",
      "Time slice of a cube given as its (n_lines * n_samples, n_traces) view.");

  m.def(
      "detect_3d",
      [](py::object image, std::size_t n_lines, const ImageGrid& plane, double dy, double y0, double threshold,
         double relative_threshold, double min_separation, double min_depth, double max_depth, double edge_margin,
         std::size_t max_targets, bool envelope, const std::string& device) {
        const ConstBScanStackView in = as_stack(input_view(image, "image"), n_lines, "image");
        ImageGrid3D grid;
        grid.plane = plane;
        grid.dy = dy;
        grid.y0 = y0;
        DetectOptions o;
        o.threshold = threshold;
        o.relative_threshold = relative_threshold;
        o.min_separation = min_separation;
        o.min_depth = min_depth;
        o.max_depth = max_depth;
        o.edge_margin = edge_margin;
        o.max_targets = max_targets;
        o.use_envelope = envelope;
        const Device where = parse_device(device);
        Detection3D d;
        {
          py::gil_scoped_release release;
          d = gprproc::detect(in, grid, o, where);
        }
        py::list targets;
        for (const Target3D& t : d.targets)
          targets.append(py::make_tuple(t.x, t.y, t.depth, t.amplitude, t.snr, t.line, t.row, t.column));
        py::dict result;
        result["targets"] = targets;
        result["background_median"] = d.background_median;
        result["background_sigma"] = d.background_sigma;
        result["level"] = d.level;
        result["candidates"] = d.candidates;
        return result;
      },
      py::arg("image"), py::arg("n_lines"), py::arg("grid"), py::arg("dy"), py::arg("y0"), py::arg("threshold") = 8.0,
      py::arg("relative_threshold") = 0.0, py::arg("min_separation") = 0.1, py::arg("min_depth") = 0.0,
      py::arg("max_depth") = std::numeric_limits<double>::infinity(), py::arg("edge_margin") = 0.0,
      py::arg("max_targets") = 20, py::arg("envelope") = true, py::arg("device") = "auto",
      "Targets of a 3-D image given as its (n_lines * n_z, n_x) view: 'targets' as (x, y, depth, amplitude, snr, "
      "line, row, column) tuples, strongest first, and the background statistics.");
}

}  // namespace gprproc::python
