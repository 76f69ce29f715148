// Bindings of background removal and the clutter metrics (gprproc/background.hpp,
// gprproc/metrics.hpp), view level; python/gprproc/background.py wraps them.
#include <string>
#include <vector>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/background.hpp"
#include "gprproc/metrics.hpp"

namespace gprproc::python {

namespace {

// Counts arrive as Python ints: a negative one is a ValueError naming it, not
// pybind11's TypeError.
std::size_t count(long long value, const char* name) {
  if (value < 0)
    throw InvalidArgument(std::string("'") + name + "' must not be negative, got " + std::to_string(value));
  return static_cast<std::size_t>(value);
}

py::dict report_dict(const BackgroundReport& r) {
  py::dict d;
  d["first_component"] = r.first_component;
  d["last_component"] = r.last_component;
  d["iterations"] = r.iterations;
  d["relative_residual"] = r.relative_residual;
  d["converged"] = r.converged;
  d["lambda"] = r.lambda;
  return d;
}

RobustPcaOptions rpca_options(double lambda, double tolerance, long long max_iterations) {
  RobustPcaOptions o;
  o.lambda = lambda;
  o.tolerance = tolerance;
  o.max_iterations = count(max_iterations, "max_iterations");
  return o;
}

BackgroundOptions background_options(const std::string& method, long long window_traces, long long first_component,
                                     long long last_component, bool automatic_rank, long long max_automatic_rank,
                                     double lambda, double tolerance, long long max_iterations) {
  BackgroundOptions o;
  o.method = parse_background_method(method);
  o.window_traces = count(window_traces, "window_traces");
  o.first_component = count(first_component, "first_component");
  o.last_component = count(last_component, "last_component");
  o.automatic_rank = automatic_rank;
  o.max_automatic_rank = count(max_automatic_rank, "max_automatic_rank");
  o.rpca = rpca_options(lambda, tolerance, max_iterations);
  return o;
}

TargetWindow target_window(long long sample_begin, long long sample_end, long long trace_begin, long long trace_end) {
  return {count(sample_begin, "sample_begin"), count(sample_end, "sample_end"), count(trace_begin, "trace_begin"),
          count(trace_end, "trace_end")};
}

}  // namespace

void register_background(py::module_& m) {
  m.def(
      "remove_background",
      [](py::object input, py::object output, const BScanMetadata& metadata, const std::string& method,
         long long window_traces, long long first_component, long long last_component, bool automatic_rank,
         long long max_automatic_rank, double lambda, double tolerance, long long max_iterations,
         const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        const BackgroundOptions o = background_options(method, window_traces, first_component, last_component,
                                                       automatic_rank, max_automatic_rank, lambda, tolerance,
                                                       max_iterations);
        const Device where = parse_device(device);
        BackgroundReport report;
        {
          py::gil_scoped_release release;
          report = gprproc::remove_background(in, metadata, o, out, where);
        }
        return report_dict(report);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("method"), py::arg("window_traces"),
      py::arg("first_component"), py::arg("last_component"), py::arg("automatic_rank"),
      py::arg("max_automatic_rank"), py::arg("rpca_lambda"), py::arg("tolerance"), py::arg("max_iterations"),
      py::arg("device") = "auto",
      "Background removal of `input` into `output` (same shape, may be the same array); returns a report dict.");

  m.def(
      "remove_background_stack",
      [](py::object input, py::object output, long long n_bscans, const BScanMetadata& metadata,
         const std::string& method, long long window_traces, long long first_component, long long last_component,
         bool automatic_rank, long long max_automatic_rank, double lambda, double tolerance, long long max_iterations,
         const std::string& device) {
        // The stack arrives as its 2-D (n_bscans * n_samples, n_traces) view.
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        require_same_shape(in, out, "input", "output");
        const std::size_t bscans = count(n_bscans, "n_bscans");
        if (bscans == 0 || in.n_samples % bscans != 0)
          throw InvalidArgument("'n_bscans' (" + std::to_string(bscans) + ") must divide the " +
                                    std::to_string(in.n_samples) + " rows of the joined stack",
                                ErrorCode::invalid_shape);
        const std::size_t m = in.n_samples / bscans;
        const BackgroundOptions o = background_options(method, window_traces, first_component, last_component,
                                                       automatic_rank, max_automatic_rank, lambda, tolerance,
                                                       max_iterations);
        const Device where = parse_device(device);
        std::vector<BackgroundReport> reports;
        {
          py::gil_scoped_release release;
          reports = gprproc::remove_background(ConstBScanStackView{in.samples, bscans, m, in.n_traces, in.memory},
                                               metadata, o, BScanStackView{out.samples, bscans, m, out.n_traces,
                                                                           out.memory},
                                               where);
        }
        py::list result;
        for (const BackgroundReport& r : reports) result.append(report_dict(r));
        return result;
      },
      py::arg("input"), py::arg("output"), py::arg("n_bscans"), py::arg("metadata"), py::arg("method"),
      py::arg("window_traces"), py::arg("first_component"), py::arg("last_component"), py::arg("automatic_rank"),
      py::arg("max_automatic_rank"), py::arg("rpca_lambda"), py::arg("tolerance"), py::arg("max_iterations"),
      py::arg("device") = "auto",
      "Background removal of each B-scan of a stack, given as its (n_bscans * n_samples, n_traces) view; "
      "returns one report dict per B-scan.");

  m.def(
      "robust_pca",
      [](py::object input, py::object low_rank, py::object sparse, double lambda, double tolerance,
         long long max_iterations, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView low = output_view(low_rank, "low_rank");
        const BScanView sp = output_view(sparse, "sparse");
        require_same_shape(in, low, "input", "low_rank");
        require_same_shape(in, sp, "input", "sparse");
        const RobustPcaOptions o = rpca_options(lambda, tolerance, max_iterations);
        const Device where = parse_device(device);
        BackgroundReport report;
        {
          py::gil_scoped_release release;
          report = gprproc::robust_pca(in, o, low, sp, where);
        }
        return report_dict(report);
      },
      py::arg("input"), py::arg("low_rank"), py::arg("sparse"), py::arg("rpca_lambda"), py::arg("tolerance"),
      py::arg("max_iterations"), py::arg("device") = "auto", "Robust PCA: input = low_rank + sparse.");

  m.def(
      "singular_values",
      [](py::object input, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        return gprproc::singular_values(in, where);
      },
      py::arg("input"), py::arg("device") = "auto", "Singular values of the B-scan, largest first.");

  m.def(
      "choose_background_rank",
      [](const std::vector<double>& values, long long max_rank) {
        return gprproc::choose_background_rank(values, count(max_rank, "max_rank"));
      },
      py::arg("singular_values"), py::arg("max_rank") = 5);

  m.def(
      "signal_to_clutter_ratio",
      [](py::object input, long long sample_begin, long long sample_end, long long trace_begin, long long trace_end) {
        return gprproc::signal_to_clutter_ratio(input_view(input, "bscan"),
                                                target_window(sample_begin, sample_end, trace_begin, trace_end));
      },
      py::arg("bscan"), py::arg("sample_begin"), py::arg("sample_end"), py::arg("trace_begin"), py::arg("trace_end"));

  m.def(
      "scr_improvement",
      [](py::object before, py::object after, long long sample_begin, long long sample_end, long long trace_begin,
         long long trace_end) {
        return gprproc::scr_improvement(input_view(before, "before"), input_view(after, "after"),
                                        target_window(sample_begin, sample_end, trace_begin, trace_end));
      },
      py::arg("before"), py::arg("after"), py::arg("sample_begin"), py::arg("sample_end"), py::arg("trace_begin"),
      py::arg("trace_end"));

  m.def(
      "psnr",
      [](py::object result, py::object reference) {
        return gprproc::psnr(input_view(result, "result"), input_view(reference, "reference"));
      },
      py::arg("result"), py::arg("reference"));
}

}  // namespace gprproc::python
