// Bindings of the plausibility bounds (gprproc/plausibility.hpp): the checks
// the Python package runs on the numbers it handles itself, and the bounds as
// a dict (for documentation and tests).
#include "bindings.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/plausibility.hpp"

namespace gprproc::python {

void register_plausibility(py::module_& m) {
  namespace pl = gprproc::plausibility;
  m.def("check_velocity", &pl::check_velocity, py::arg("name"), py::arg("velocity"));
  m.def("check_sample_interval", &pl::check_sample_interval, py::arg("name"), py::arg("dt"));
  m.def("check_trace_spacing", &pl::check_trace_spacing, py::arg("name"), py::arg("dx"));
  m.def("check_band_frequency", &pl::check_band_frequency, py::arg("name"), py::arg("frequency"));
  m.def("check_corner_frequency", &pl::check_corner_frequency, py::arg("name"), py::arg("frequency"));
  m.def("check_center_frequency", &pl::check_center_frequency, py::arg("name"), py::arg("frequency"));
  m.def("check_geometry", &pl::check_geometry, py::arg("operation"), py::arg("metadata"),
        "dt, dx, center_frequency, antenna offset and height of a B-scan's metadata.");
  m.def("check_time_in_record", &pl::check_time_in_record, py::arg("name"), py::arg("time"), py::arg("metadata"),
        py::arg("n_samples"));
  m.def(
      "check_depth_axis",
      [](const std::string& operation, double dz, double depth, double z0, const BScanMetadata& metadata,
         std::size_t n_samples, const VelocityModel& velocity) {
        DepthAxis axis;
        axis.dz = dz;
        axis.depth = depth;
        axis.z0 = z0;
        axis.validate();
        pl::check_depth_axis(operation, axis, metadata, n_samples, velocity);
      },
      py::arg("operation"), py::arg("dz"), py::arg("depth"), py::arg("z0"), py::arg("metadata"), py::arg("n_samples"),
      py::arg("velocity"), "The depth axis against what the record can image (and its row count).");
  m.def("plausibility_bounds", [] {
    py::dict d;
    d["velocity"] = py::make_tuple(pl::min_velocity, pl::max_velocity);
    d["dt"] = py::make_tuple(pl::min_sample_interval, pl::max_sample_interval);
    d["dx"] = py::make_tuple(pl::min_trace_spacing, pl::max_trace_spacing);
    d["band_frequency"] = py::make_tuple(pl::min_band_frequency, pl::max_frequency);
    d["corner_frequency"] = py::make_tuple(pl::min_corner_frequency, pl::max_frequency);
    d["antenna_offset"] = py::make_tuple(0.0, pl::max_antenna_offset);
    d["antenna_height"] = py::make_tuple(0.0, pl::max_antenna_height);
    d["depth_reach_factor"] = pl::depth_reach_factor;
    d["max_depth_rows_per_sample"] = pl::max_depth_rows_per_sample;
    return d;
  });
}

}  // namespace gprproc::python
