// Bindings of the gains (gprproc/gain.hpp), view level; python/gprproc/gain.py wraps them.
#include <string>
#include <vector>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/gain.hpp"

namespace gprproc::python {

void register_gain(py::module_& m) {
  m.def(
      "time_gain",
      [](py::object input, py::object output, const BScanMetadata& metadata, double power, double exponent,
         double reference_time, const std::string& origin, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        TimeGain g;
        g.power = power;
        g.exponent = exponent;
        g.reference_time = reference_time;
        if (origin == "time_zero")
          g.origin = GainTimeOrigin::time_zero;
        else if (origin == "first_sample")
          g.origin = GainTimeOrigin::first_sample;
        else
          throw InvalidArgument("time_gain: origin must be 'time_zero' or 'first_sample', got '" + origin + "'");
        const Device where = parse_device(device);
        std::vector<float> curve;
        {
          py::gil_scoped_release release;
          curve = gprproc::time_gain(in, metadata, g, out, where);
        }
        return to_numpy(std::move(curve), {static_cast<py::ssize_t>(in.n_samples)});
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("power"), py::arg("exponent"),
      py::arg("reference_time"), py::arg("origin"), py::arg("device") = "auto",
      "out = input * g(t); returns the per-sample curve g (numpy).");

  m.def(
      "agc",
      [](py::object input, py::object output, py::object gain, const BScanMetadata& metadata, double window,
         double floor, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        BScanView g{};
        if (!gain.is_none()) {
          g = output_view(gain, "gain");
          require_same_shape(in, g, "input", "gain");
        }
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::agc(in, metadata, AgcOptions{window, floor}, out, g, where);
      },
      py::arg("input"), py::arg("output"), py::arg("gain"), py::arg("metadata"), py::arg("window"),
      py::arg("floor"), py::arg("device") = "auto", "Automatic gain control; `gain` (or None) receives the gain.");

  m.def(
      "apply_gain",
      [](py::object input, py::object gain, py::object output, bool divide, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const ConstBScanView g = input_view(gain, "gain");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        if (divide)
          gprproc::remove_gain(in, g, out, where);
        else
          gprproc::apply_gain(in, g, out, where);
      },
      py::arg("input"), py::arg("gain"), py::arg("output"), py::arg("divide"), py::arg("device") = "auto",
      "out = input * gain (divide: input / gain); gain of shape (n_samples, 1) or that of input.");
}

}  // namespace gprproc::python
