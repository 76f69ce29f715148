// Bindings of the preprocessing filters (gprproc/filters.hpp), view level;
// python/gprproc/filters.py wraps them.
#include <string>
#include <vector>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/filters.hpp"

namespace gprproc::python {

namespace {

BandpassShape parse_shape(const std::string& shape) {
  if (shape == "cosine_taper" || shape == "cosine") return BandpassShape::cosine_taper;
  if (shape == "butterworth") return BandpassShape::butterworth;
  throw InvalidArgument("bandpass: shape must be 'cosine_taper' or 'butterworth', got '" + shape + "'");
}

FirstBreakMethod parse_method(const std::string& method) {
  if (method == "amplitude_threshold" || method == "amplitude") return FirstBreakMethod::amplitude_threshold;
  if (method == "envelope_threshold" || method == "envelope") return FirstBreakMethod::envelope_threshold;
  if (method == "direct_wave_peak" || method == "peak") return FirstBreakMethod::direct_wave_peak;
  throw InvalidArgument("time zero: method must be 'amplitude_threshold', 'envelope_threshold' or "
                        "'direct_wave_peak', got '" + method + "'");
}

TimeZeroOptions time_zero_options(const std::string& method, double threshold, double first_break_time,
                                  int half_width) {
  TimeZeroOptions o;
  o.method = parse_method(method);
  o.threshold = threshold;
  o.first_break_time = first_break_time;
  o.interpolation_half_width = half_width;
  return o;
}

}  // namespace

void register_filters(py::module_& m) {
  m.def(
      "remove_dc",
      [](py::object input, py::object output, const BScanMetadata& metadata, double start, double end,
         const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::remove_dc(in, metadata, TimeWindow{start, end}, out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("start"), py::arg("end"),
      py::arg("device") = "auto", "Subtract each trace's mean over the times [start, end] (s).");

  m.def(
      "dewow",
      [](py::object input, py::object output, const BScanMetadata& metadata, double window,
         const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::dewow(in, metadata, window, out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("window"), py::arg("device") = "auto",
      "Subtract a running mean over `window` seconds.");

  m.def(
      "bandpass",
      [](py::object input, py::object output, const BScanMetadata& metadata, double low, double high,
         const std::string& shape, double low_taper, double high_taper, int order, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        BandpassOptions o;
        o.low = low;
        o.high = high;
        o.shape = parse_shape(shape);
        o.low_taper = low_taper;
        o.high_taper = high_taper;
        o.order = order;
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::bandpass(in, metadata, o, out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("low"), py::arg("high"), py::arg("shape"),
      py::arg("low_taper"), py::arg("high_taper"), py::arg("order"), py::arg("device") = "auto",
      "Zero-phase band-pass.");

  m.def(
      "hilbert",
      [](py::object input, py::object envelope, py::object phase, const BScanMetadata& metadata,
         const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        BScanView env{}, ph{};
        if (!envelope.is_none()) {
          env = output_view(envelope, "envelope");
          require_same_shape(in, env, "input", "envelope");
        }
        if (!phase.is_none()) {
          ph = output_view(phase, "phase");
          require_same_shape(in, ph, "input", "phase");
        }
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::hilbert(in, metadata, env, ph, where);
      },
      py::arg("input"), py::arg("envelope"), py::arg("phase"), py::arg("metadata"), py::arg("device") = "auto",
      "Envelope and/or instantaneous phase (either may be None).");

  m.def(
      "pick_first_breaks",
      [](py::object input, const BScanMetadata& metadata, const std::string& method, double threshold,
         double first_break_time, int half_width, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const TimeZeroOptions o = time_zero_options(method, threshold, first_break_time, half_width);
        const Device where = parse_device(device);
        std::vector<double> picks;
        {
          py::gil_scoped_release release;
          picks = gprproc::pick_first_breaks(in, metadata, o, where);
        }
        return to_numpy(std::move(picks), {static_cast<py::ssize_t>(in.n_traces)});
      },
      py::arg("input"), py::arg("metadata"), py::arg("method"), py::arg("threshold"), py::arg("first_break_time"),
      py::arg("half_width"), py::arg("device") = "auto", "First-break times (s) per trace (NaN: none).");

  m.def(
      "correct_time_zero",
      [](py::object input, py::object output, const BScanMetadata& metadata, const std::string& method,
         double threshold, double first_break_time, int half_width, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        const TimeZeroOptions o = time_zero_options(method, threshold, first_break_time, half_width);
        const Device where = parse_device(device);
        std::vector<double> picks;
        {
          py::gil_scoped_release release;
          picks = gprproc::correct_time_zero(in, metadata, o, out, where);
        }
        return to_numpy(std::move(picks), {static_cast<py::ssize_t>(in.n_traces)});
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("method"), py::arg("threshold"),
      py::arg("first_break_time"), py::arg("half_width"), py::arg("device") = "auto",
      "Shift every trace so its first break lies at first_break_time; returns the picks (s).");

  m.def(
      "shift_traces",
      [](py::object input, py::object output, const BScanMetadata& metadata, const std::vector<double>& shifts,
         int half_width, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::shift_traces(in, metadata, shifts, out, half_width, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("shifts"), py::arg("half_width"),
      py::arg("device") = "auto", "out_j(t) = in_j(t + shifts[j]) by windowed-sinc interpolation.");

  m.def(
      "bandpass_response",
      [](double low, double high, const std::string& shape, double low_taper, double high_taper, int order,
         double frequency) {
        BandpassOptions o;
        o.low = low;
        o.high = high;
        o.shape = parse_shape(shape);
        o.low_taper = low_taper;
        o.high_taper = high_taper;
        o.order = order;
        return gprproc::bandpass_response(o, frequency);
      },
      py::arg("low"), py::arg("high"), py::arg("shape"), py::arg("low_taper"), py::arg("high_taper"),
      py::arg("order"), py::arg("frequency"));
}

}  // namespace gprproc::python
