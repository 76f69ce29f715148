// Bindings of target detection (gprproc/detect.hpp), view level;
// python/gprproc/detect.py wraps them.
#include <limits>
#include <string>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/detect.hpp"

namespace gprproc::python {

void register_detect(py::module_& m) {
  m.def(
      "detect",
      [](py::object image, const ImageGrid& grid, double threshold, double relative_threshold, double min_separation,
         double min_depth, double max_depth, double edge_margin, std::size_t max_targets, bool envelope,
         const std::string& device) {
        const ConstBScanView in = input_view(image, "image");
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
        Detection d;
        {
          py::gil_scoped_release release;
          d = gprproc::detect(in, grid, o, where);
        }
        py::list targets;
        for (const Target& t : d.targets)
          targets.append(py::make_tuple(t.x, t.depth, t.amplitude, t.snr, t.row, t.column));
        py::dict result;
        result["targets"] = targets;
        result["background_median"] = d.background_median;
        result["background_sigma"] = d.background_sigma;
        result["level"] = d.level;
        result["candidates"] = d.candidates;
        return result;
      },
      py::arg("image"), py::arg("grid"), py::arg("threshold") = 8.0, py::arg("relative_threshold") = 0.0,
      py::arg("min_separation") = 0.1, py::arg("min_depth") = 0.0,
      py::arg("max_depth") = std::numeric_limits<double>::infinity(), py::arg("edge_margin") = 0.0,
      py::arg("max_targets") = 20, py::arg("envelope") = true, py::arg("device") = "auto",
      "Targets of a depth image (n_z, n_x): a dict with 'targets' as (x, depth, amplitude, snr, row, column) "
      "tuples, strongest first, and the background statistics.");
}

}  // namespace gprproc::python
