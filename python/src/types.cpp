// The metadata types that kernel bindings take: BScanMetadata, ImageGrid,
// VelocityModel; and the history conversion shared by the I/O bindings.
// The Python layer builds these from BScan / DepthImage objects (_wrap.py).
#include <sstream>

#include "array_support.hpp"
#include "bindings.hpp"

namespace gprproc::python {

py::list history_to_python(const History& history) {
  py::list steps;
  for (const HistoryStep& step : history) steps.append(py::make_tuple(step.operation, step.parameters_json, step.library_version));
  return steps;
}

History history_from_python(const py::iterable& steps) {
  History history;
  for (const py::handle item : steps) {
    const py::tuple step = py::reinterpret_borrow<py::object>(item).cast<py::tuple>();
    if (step.size() != 3)
      throw InvalidArgument("a history step must be (operation, parameters_json, library_version), got " +
                            std::to_string(step.size()) + " items");
    history.push_back({step[0].cast<std::string>(), step[1].cast<std::string>(), step[2].cast<std::string>()});
  }
  return history;
}

void register_types(py::module_& m) {
  py::class_<BScanMetadata>(m, "BScanMetadata", "B-scan metadata in SI units (s, m, Hz).")
      .def(py::init([](double dt, double t0, double dx, double x0, double antenna_offset, double antenna_height,
                       double center_frequency, std::string component, std::string source) {
             BScanMetadata meta;
             meta.dt = dt;
             meta.t0 = t0;
             meta.dx = dx;
             meta.x0 = x0;
             meta.antenna_offset = antenna_offset;
             meta.antenna_height = antenna_height;
             meta.center_frequency = center_frequency;
             meta.component = std::move(component);
             meta.source = std::move(source);
             return meta;
           }),
           py::kw_only(), py::arg("dt") = 0.0, py::arg("t0") = 0.0, py::arg("dx") = 0.0, py::arg("x0") = 0.0,
           py::arg("antenna_offset") = 0.0, py::arg("antenna_height") = 0.0, py::arg("center_frequency") = 0.0,
           py::arg("component") = "", py::arg("source") = "")
      .def_readwrite("dt", &BScanMetadata::dt)
      .def_readwrite("t0", &BScanMetadata::t0)
      .def_readwrite("dx", &BScanMetadata::dx)
      .def_readwrite("x0", &BScanMetadata::x0)
      .def_readwrite("antenna_offset", &BScanMetadata::antenna_offset)
      .def_readwrite("antenna_height", &BScanMetadata::antenna_height)
      .def_readwrite("center_frequency", &BScanMetadata::center_frequency)
      .def_readwrite("component", &BScanMetadata::component)
      .def_readwrite("source", &BScanMetadata::source)
      .def("validate", [](const BScanMetadata& meta) { validate(meta); },
           "Raises ValueError naming the field when dt or dx is not positive, or a value is not finite.")
      .def("__repr__", [](const BScanMetadata& meta) {
        std::ostringstream out;
        out << "BScanMetadata(dt=" << meta.dt << ", t0=" << meta.t0 << ", dx=" << meta.dx << ", x0=" << meta.x0
            << ", antenna_offset=" << meta.antenna_offset << ", antenna_height=" << meta.antenna_height
            << ", center_frequency=" << meta.center_frequency << ", component='" << meta.component << "', source='"
            << meta.source << "')";
        return out.str();
      });

  py::class_<ImageGrid>(m, "ImageGrid", "The regular grid of a depth image (m).")
      // Positional in the struct's order (dz, z0, dx, x0) or by keyword.
      .def(py::init([](double dz, double z0, double dx, double x0) { return ImageGrid{dz, z0, dx, x0}; }),
           py::arg("dz") = 0.0, py::arg("z0") = 0.0, py::arg("dx") = 0.0, py::arg("x0") = 0.0)
      .def_readwrite("dz", &ImageGrid::dz)
      .def_readwrite("z0", &ImageGrid::z0)
      .def_readwrite("dx", &ImageGrid::dx)
      .def_readwrite("x0", &ImageGrid::x0)
      .def("__repr__", [](const ImageGrid& g) {
        std::ostringstream out;
        out << "ImageGrid(dz=" << g.dz << ", z0=" << g.z0 << ", dx=" << g.dx << ", x0=" << g.x0 << ")";
        return out.str();
      });

  py::class_<VelocityModel>(m, "VelocityModel", "Constant or layered interval velocity (m/s) below the surface.")
      .def(py::init<>(), "An empty model (no velocity known).")
      .def_static("constant", &VelocityModel::constant, py::arg("velocity"))
      .def_static("layered", &VelocityModel::layered, py::arg("layer_tops"), py::arg("velocities"))
      .def_readonly("layer_tops", &VelocityModel::layer_tops)
      .def_readonly("velocities", &VelocityModel::velocities)
      .def_property_readonly("is_constant", &VelocityModel::is_constant)
      .def("velocity_at", &VelocityModel::velocity_at, py::arg("depth"))
      .def("validate", &VelocityModel::validate)
      .def("__repr__", [](const VelocityModel& v) {
        std::ostringstream out;
        if (v.is_constant()) {
          out << "VelocityModel.constant(" << v.velocities[0] << ")";
        } else {
          out << "VelocityModel.layered(layer_tops=[";
          for (std::size_t i = 0; i < v.layer_tops.size(); ++i) out << (i ? ", " : "") << v.layer_tops[i];
          out << "], velocities=[";
          for (std::size_t i = 0; i < v.velocities.size(); ++i) out << (i ? ", " : "") << v.velocities[i];
          out << "])";
        }
        return out.str();
      });

  // What array_support makes of an array (for tests and debugging): the view a
  // kernel binding would get, with its data pointer, so "no copy" can be checked.
  m.def(
      "_array_view_info",
      [](const py::object& array, const std::string& name, bool writable) {
        const ConstBScanView view =
            writable ? [&] {
              const BScanView out = output_view(array, name.c_str());
              return ConstBScanView{out.samples, out.n_samples, out.n_traces, out.memory};
            }()
                     : input_view(array, name.c_str());
        py::dict info;
        info["shape"] = py::make_tuple(view.n_samples, view.n_traces);
        info["memory"] = view.memory == Memory::host ? "host" : "device";
        info["pointer"] = reinterpret_cast<std::uintptr_t>(view.samples);
        return info;
      },
      py::arg("array"), py::arg("name") = "array", py::arg("writable") = false);

  m.def(
      "check_finite",
      [](const py::object& array, const std::string& name) {
        const ConstBScanView view = input_view(array, name.c_str());
        check_finite(view, name.c_str());
      },
      py::arg("array"), py::arg("name") = "B-scan",
      "Raises ValueError naming the first NaN/Inf sample of a host float32 2-D array.");

  m.def("velocity_from_permittivity", &velocity_from_permittivity, py::arg("relative_permittivity"));
  m.def("permittivity_from_velocity", &permittivity_from_velocity, py::arg("velocity"));
  m.attr("speed_of_light") = speed_of_light;
}

}  // namespace gprproc::python
