// Bindings of 3-D migration (gprproc/migration_3d.hpp), array level: cubes
// (n_lines, n_samples, n_traces) float32 in, images (n_lines, n_z, n_x) out,
// numpy on the host or __cuda_array_interface__ arrays (CuPy) on the GPU;
// python/gprproc/migration_3d.py wraps them.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/migration_3d.hpp"

namespace gprproc::python {

namespace {

DepthAxis depth_axis_3d(double dz, double depth, double z0) {
  DepthAxis a;
  a.dz = dz;
  a.depth = depth;
  a.z0 = z0;
  return a;
}

CubeMetadata cube_metadata(const BScanMetadata& line, double dy, double y0) {
  CubeMetadata m;
  m.line = line;
  m.dy = dy;
  m.y0 = y0;
  return m;
}

std::string shape_of(const std::vector<py::ssize_t>& shape) { return detail::shape_text(shape); }

// A 3-D float32 C-contiguous array (numpy or __cuda_array_interface__) as a
// stack view; a 2-D array (one B-scan) or any other rank is a ValueError
// that says what a cube is.
struct RawCube {
  void* samples = nullptr;
  std::size_t lines = 0, rows = 0, columns = 0;
  Memory memory = Memory::host;
};

[[noreturn]] void not_a_cube(const char* name, const std::vector<py::ssize_t>& shape, const char* what) {
  std::string message = "needs a 3-D " + std::string(what) + " array of shape (n_lines, n_samples, n_traces), got a " +
                        std::to_string(shape.size()) + "-D array of shape " + shape_of(shape);
  if (shape.size() == 2) message += " (one B-scan is not a cube: stack the lines, e.g. numpy.stack(lines))";
  detail::fail(name, message);
}

bool c_contiguous_3d(const std::vector<py::ssize_t>& shape, const std::vector<py::ssize_t>& strides) {
  py::ssize_t expected = static_cast<py::ssize_t>(sizeof(float));
  for (int d = 2; d >= 0; --d) {
    if (shape[static_cast<std::size_t>(d)] > 1 && strides[static_cast<std::size_t>(d)] != expected) return false;
    expected *= shape[static_cast<std::size_t>(d)];
  }
  return true;
}

RawCube raw_cube(const py::handle& object, const char* name, bool writable) {
  RawCube cube;
  std::vector<py::ssize_t> shape;
  if (py::isinstance<py::array>(object)) {
    const py::array array = py::reinterpret_borrow<py::array>(object);
    if (!array.dtype().equal(py::dtype::of<float>()))
      detail::fail(name, "needs float32 samples, got dtype " + std::string(py::str(array.dtype())) +
                             " (convert with numpy.ascontiguousarray(a, dtype=numpy.float32))");
    shape.assign(array.shape(), array.shape() + array.ndim());
    if (array.ndim() != 3) not_a_cube(name, shape, "numpy");
    if (!(array.flags() & py::array::c_style))
      detail::fail(name, "needs a C-contiguous (row-major) array, got a strided view of shape " + shape_of(shape) +
                             " (use numpy.ascontiguousarray)");
    if (writable && !array.writeable()) detail::fail(name, "is an output and must be writable, got a read-only array");
    cube.samples = const_cast<void*>(array.data());
    cube.memory = Memory::host;
  } else if (py::hasattr(object, "__cuda_array_interface__")) {
    const py::dict cai = object.attr("__cuda_array_interface__").cast<py::dict>();
    const std::string typestr = py::str(cai["typestr"]);
    if (typestr != "<f4")
      detail::fail(name, "needs float32 samples (typestr '<f4'), got a CUDA array of typestr '" + typestr + "'");
    for (const auto& extent : cai["shape"].cast<py::tuple>()) shape.push_back(extent.cast<py::ssize_t>());
    if (shape.size() != 3) not_a_cube(name, shape, "CUDA");
    if (cai.contains("strides") && !cai["strides"].is_none()) {
      std::vector<py::ssize_t> strides;
      for (const auto& s : cai["strides"].cast<py::tuple>()) strides.push_back(s.cast<py::ssize_t>());
      if (strides.size() != 3 || !c_contiguous_3d(shape, strides))
        detail::fail(name, "needs a C-contiguous (row-major) CUDA array, got a strided view of shape " +
                               shape_of(shape) + " (use cupy.ascontiguousarray)");
    }
    if (cai.contains("mask") && !cai["mask"].is_none()) detail::fail(name, "masked CUDA arrays are not supported");
    const py::tuple data = cai["data"].cast<py::tuple>();
    if (writable && data[1].cast<bool>())
      detail::fail(name, "is an output and must be writable, got a read-only CUDA array");
    if (!cuda_compiled())
      throw CudaError(ErrorCode::cuda_unavailable,
                      std::string("argument '") + name +
                          "' is a CUDA (device) array, but this gprproc build has no CUDA backend; pass a numpy array");
    if (cai.contains("stream") && !cai["stream"].is_none())
      synchronize_exported_stream(cai["stream"].cast<std::uintptr_t>());
    cube.samples = reinterpret_cast<void*>(data[0].cast<std::uintptr_t>());
    cube.memory = Memory::device;
  } else {
    detail::fail(name, "needs a numpy.ndarray or a CUDA array (CuPy) of float32, got an object of type " +
                           std::string(py::str(py::type::handle_of(object).attr("__name__"))));
  }
  cube.lines = static_cast<std::size_t>(shape[0]);
  cube.rows = static_cast<std::size_t>(shape[1]);
  cube.columns = static_cast<std::size_t>(shape[2]);
  return cube;
}

ConstBScanStackView cube_input(const py::handle& object, const char* name) {
  const RawCube c = raw_cube(object, name, false);
  return {static_cast<const float*>(c.samples), c.lines, c.rows, c.columns, c.memory};
}

BScanStackView cube_output(const py::handle& object, const char* name) {
  const RawCube c = raw_cube(object, name, true);
  return {static_cast<float*>(c.samples), c.lines, c.rows, c.columns, c.memory};
}

Kirchhoff3DOptions kirchhoff_3d_options(double aperture, double max_angle, double taper, bool derivative,
                                        bool obliquity_weights, int oversampling, bool antialias,
                                        std::size_t tile_lines, std::size_t tile_traces, double tile_memory) {
  Kirchhoff3DOptions o;
  o.aperture = aperture;
  o.max_angle = max_angle;
  o.taper = taper;
  o.derivative = derivative;
  o.obliquity_weights = obliquity_weights;
  o.oversampling = oversampling;
  o.antialias = antialias;
  o.tile_lines = tile_lines;
  o.tile_traces = tile_traces;
  o.tile_memory = tile_memory;
  return o;
}

PhaseShift3DOptions phase_shift_3d_options(double time_padding, double trace_padding, double line_padding,
                                           bool correct_offset, bool dip_moveout) {
  PhaseShift3DOptions o;
  o.time_padding = time_padding;
  o.trace_padding = trace_padding;
  o.line_padding = line_padding;
  o.correct_offset = correct_offset;
  o.dip_moveout = dip_moveout;
  return o;
}

template <class Plan>
void execute_3d(const Plan& plan, py::object input, py::object output) {
  const ConstBScanStackView in = cube_input(input, "input");
  const BScanStackView out = cube_output(output, "output");
  py::gil_scoped_release release;
  plan.execute(in, out);
}

}  // namespace

void register_migration_3d(py::module_& m) {
  py::class_<Kirchhoff3DPlan> plan(m, "Kirchhoff3DPlan");
  plan.def(py::init([](const BScanMetadata& metadata, double dy, double y0, std::size_t n_lines,
                       std::size_t n_samples, std::size_t n_traces, const VelocityModel& velocity, double dz,
                       double depth, double z0, double aperture, double max_angle, double taper, bool derivative,
                       bool obliquity_weights, int oversampling, bool antialias, std::size_t tile_lines,
                       std::size_t tile_traces, double tile_memory, const std::string& device) {
             const Kirchhoff3DOptions o = kirchhoff_3d_options(aperture, max_angle, taper, derivative,
                                                               obliquity_weights, oversampling, antialias, tile_lines,
                                                               tile_traces, tile_memory);
             const Device where = parse_device(device);
             py::gil_scoped_release release;
             return std::make_unique<Kirchhoff3DPlan>(cube_metadata(metadata, dy, y0), n_lines, n_samples, n_traces,
                                                      velocity, depth_axis_3d(dz, depth, z0), o, where);
           }),
           py::arg("metadata"), py::arg("dy"), py::arg("y0"), py::arg("n_lines"), py::arg("n_samples"),
           py::arg("n_traces"), py::arg("velocity"), py::arg("dz"), py::arg("depth"), py::arg("z0") = 0.0,
           py::arg("aperture") = std::numeric_limits<double>::infinity(), py::arg("max_angle") = 1.2217304763960306,
           py::arg("taper") = 0.25, py::arg("derivative") = true, py::arg("obliquity_weights") = true,
           py::arg("oversampling") = 4, py::arg("antialias") = false, py::arg("tile_lines") = 0,
           py::arg("tile_traces") = 0, py::arg("tile_memory") = 256.0 * 1024.0 * 1024.0, py::arg("device") = "auto")
      .def("execute", &execute_3d<Kirchhoff3DPlan>, py::arg("input"), py::arg("output"),
           "Migrates `input` (n_lines, n_samples, n_traces) into `output` (n_lines, n_z, n_traces).")
      .def_property_readonly("n_lines", &Kirchhoff3DPlan::n_lines)
      .def_property_readonly("n_z", &Kirchhoff3DPlan::n_z)
      .def_property_readonly("n_x", &Kirchhoff3DPlan::n_x)
      .def_property_readonly("device", [](const Kirchhoff3DPlan& p) { return std::string(to_string(p.device())); })
      .def_property_readonly("contributions", &Kirchhoff3DPlan::contributions)
      .def_property_readonly("tile_lines", &Kirchhoff3DPlan::tile_lines)
      .def_property_readonly("tile_traces", &Kirchhoff3DPlan::tile_traces)
      .def_property_readonly("halo_lines", &Kirchhoff3DPlan::halo_lines)
      .def_property_readonly("halo_traces", &Kirchhoff3DPlan::halo_traces)
      .def_property_readonly("tile_bytes", &Kirchhoff3DPlan::tile_bytes)
      .def_property_readonly("table_bytes", &Kirchhoff3DPlan::table_bytes);

  m.def(
      "migrate_kirchhoff_3d",
      [](py::object input, py::object output, const BScanMetadata& metadata, double dy, double y0,
         const VelocityModel& velocity, double dz, double depth, double z0, double aperture, double max_angle,
         double taper, bool derivative, bool obliquity_weights, int oversampling, bool antialias,
         std::size_t tile_lines, std::size_t tile_traces, double tile_memory, const std::string& device) {
        const ConstBScanStackView in = cube_input(input, "input");
        const BScanStackView out = cube_output(output, "output");
        const Kirchhoff3DOptions o = kirchhoff_3d_options(aperture, max_angle, taper, derivative, obliquity_weights,
                                                          oversampling, antialias, tile_lines, tile_traces,
                                                          tile_memory);
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::migrate_kirchhoff_3d(in, cube_metadata(metadata, dy, y0), velocity, depth_axis_3d(dz, depth, z0), o,
                                      out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("dy"), py::arg("y0"), py::arg("velocity"),
      py::arg("dz"), py::arg("depth"), py::arg("z0") = 0.0,
      py::arg("aperture") = std::numeric_limits<double>::infinity(), py::arg("max_angle") = 1.2217304763960306,
      py::arg("taper") = 0.25, py::arg("derivative") = true, py::arg("obliquity_weights") = true,
      py::arg("oversampling") = 4, py::arg("antialias") = false, py::arg("tile_lines") = 0,
      py::arg("tile_traces") = 0, py::arg("tile_memory") = 256.0 * 1024.0 * 1024.0, py::arg("device") = "auto",
      "3-D Kirchhoff migration of a cube (n_lines, n_samples, n_traces) into `output` (n_lines, n_z, n_traces).");

  m.def(
      "migrate_phase_shift_3d",
      [](py::object input, py::object output, const BScanMetadata& metadata, double dy, double y0,
         const VelocityModel& velocity, double dz, double depth, double z0, double time_padding, double trace_padding,
         double line_padding, bool correct_offset, bool dip_moveout, const std::string& device) {
        const ConstBScanStackView in = cube_input(input, "input");
        const BScanStackView out = cube_output(output, "output");
        const PhaseShift3DOptions o =
            phase_shift_3d_options(time_padding, trace_padding, line_padding, correct_offset, dip_moveout);
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::migrate_phase_shift_3d(in, cube_metadata(metadata, dy, y0), velocity, depth_axis_3d(dz, depth, z0),
                                        o, out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("dy"), py::arg("y0"), py::arg("velocity"),
      py::arg("dz"), py::arg("depth"), py::arg("z0") = 0.0, py::arg("time_padding") = 2.0,
      py::arg("trace_padding") = 2.0, py::arg("line_padding") = 2.0, py::arg("correct_offset") = true,
      py::arg("dip_moveout") = true, py::arg("device") = "auto",
      "3-D phase-shift (Gazdag) migration of a cube into `output` (n_lines, n_z, n_traces).");

  m.def(
      "migrate_stolt_3d",
      [](py::object input, py::object output, const BScanMetadata& metadata, double dy, double y0, double velocity,
         double dz, double depth, double z0, double time_padding, double trace_padding, double line_padding,
         bool correct_offset, bool dip_moveout, const std::string& device) {
        const ConstBScanStackView in = cube_input(input, "input");
        const BScanStackView out = cube_output(output, "output");
        const Stolt3DOptions o =
            phase_shift_3d_options(time_padding, trace_padding, line_padding, correct_offset, dip_moveout);
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::migrate_stolt_3d(in, cube_metadata(metadata, dy, y0), velocity, depth_axis_3d(dz, depth, z0), o, out,
                                  where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("dy"), py::arg("y0"), py::arg("velocity"),
      py::arg("dz"), py::arg("depth"), py::arg("z0") = 0.0, py::arg("time_padding") = 2.0,
      py::arg("trace_padding") = 2.0, py::arg("line_padding") = 2.0, py::arg("correct_offset") = true,
      py::arg("dip_moveout") = true, py::arg("device") = "auto",
      "3-D Stolt (f-k) migration of a cube, constant velocity, into `output` (n_lines, n_z, n_traces).");
}

}  // namespace gprproc::python
