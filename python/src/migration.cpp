// Bindings of migration and velocity analysis (gprproc/migration.hpp,
// gprproc/velocity.hpp), view level: the three migration plans, time-to-depth,
// the antenna-offset correction, the hyperbola fit and the velocity scan;
// python/gprproc/migration.py wraps them.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/velocity.hpp"

namespace gprproc::python {

namespace {

DepthAxis depth_axis(double dz, double depth, double z0) {
  DepthAxis a;
  a.dz = dz;
  a.depth = depth;
  a.z0 = z0;
  return a;
}

KirchhoffOptions kirchhoff_options(double aperture, double max_angle, double taper, bool half_derivative,
                                   bool obliquity_weights, int oversampling, bool antialias = false) {
  KirchhoffOptions o;
  o.aperture = aperture;
  o.max_angle = max_angle;
  o.taper = taper;
  o.half_derivative = half_derivative;
  o.obliquity_weights = obliquity_weights;
  o.oversampling = oversampling;
  o.antialias = antialias;
  return o;
}

// Plan::execute on array views, the GIL released around the migration.
template <class Plan>
void execute_plan(const Plan& plan, py::object input, py::object output) {
  const ConstBScanView in = input_view(input, "input");
  const BScanView out = output_view(output, "output");
  py::gil_scoped_release release;
  plan.execute(in, out);
}

// What every plan class has: execute, the image shape and where it runs.
template <class Plan, class Class>
void add_plan_members(Class& cls) {
  cls.def("execute", &execute_plan<Plan>, py::arg("input"), py::arg("output"),
          "Migrates `input` (n_samples, n_traces) into `output` (n_z, n_traces).")
      .def_property_readonly("n_z", &Plan::n_z)
      .def_property_readonly("n_x", &Plan::n_x)
      .def_property_readonly("device", [](const Plan& p) { return std::string(to_string(p.device())); });
}

// Stolt and phase shift: the same options (zero-padding factors, the
// antenna-offset correction and its dip moveout); Velocity is double (Stolt) or VelocityModel
// (phase shift).
template <class Plan, class Options, class Velocity>
void bind_fk_plan(py::module_& m, const char* name) {
  py::class_<Plan> cls(m, name);
  cls.def(py::init([](const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                      const Velocity& velocity, double dz, double depth, double z0, double time_padding,
                      double trace_padding, bool correct_offset, bool dip_moveout, const std::string& device) {
            Options o;
            o.time_padding = time_padding;
            o.trace_padding = trace_padding;
            o.correct_offset = correct_offset;
            o.dip_moveout = dip_moveout;
            const Device where = parse_device(device);
            py::gil_scoped_release release;
            return std::make_unique<Plan>(metadata, n_samples, n_traces, velocity, depth_axis(dz, depth, z0), o,
                                          where);
          }),
          py::arg("metadata"), py::arg("n_samples"), py::arg("n_traces"), py::arg("velocity"), py::arg("dz"),
          py::arg("depth"), py::arg("z0"), py::arg("time_padding"), py::arg("trace_padding"),
          py::arg("correct_offset") = true, py::arg("dip_moveout") = true, py::arg("device") = "auto");
  add_plan_members<Plan>(cls);
}

}  // namespace

void register_migration(py::module_& m) {
  m.def(
      "depth_rows",
      [](double dz, double depth, double z0) {
        const DepthAxis a = depth_axis(dz, depth, z0);
        a.validate();
        return a.n_z();
      },
      py::arg("dz"), py::arg("depth"), py::arg("z0") = 0.0, "Rows of the depth axis z0, z0 + dz, ... <= depth.");

  // Plans: made once for B-scans of one geometry, executed many times
  // (docs/MIGRATION.md). The constructors release the GIL: the Kirchhoff
  // tables, FFT plans and device buffers can take a while.
  py::class_<KirchhoffPlan> kirchhoff(m, "KirchhoffPlan");
  kirchhoff
      .def(py::init([](const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                       const VelocityModel& velocity, double dz, double depth, double z0, double aperture,
                       double max_angle, double taper, bool half_derivative, bool obliquity_weights,
                       int oversampling, bool antialias, std::size_t tile_traces, double tile_memory,
                       const std::string& device) {
             KirchhoffOptions o = kirchhoff_options(aperture, max_angle, taper, half_derivative, obliquity_weights,
                                                    oversampling, antialias);
             o.tile_traces = tile_traces;
             o.tile_memory = tile_memory;
             const Device where = parse_device(device);
             py::gil_scoped_release release;
             return std::make_unique<KirchhoffPlan>(metadata, n_samples, n_traces, velocity,
                                                    depth_axis(dz, depth, z0), o, where);
           }),
           py::arg("metadata"), py::arg("n_samples"), py::arg("n_traces"), py::arg("velocity"), py::arg("dz"),
           py::arg("depth"), py::arg("z0"), py::arg("aperture"), py::arg("max_angle"), py::arg("taper"),
           py::arg("half_derivative"), py::arg("obliquity_weights"), py::arg("oversampling"),
           py::arg("antialias"), py::arg("tile_traces"), py::arg("tile_memory"), py::arg("device") = "auto")
      .def_property_readonly("contributions", &KirchhoffPlan::contributions,
                             "Pixel-trace pairs with a non-zero weight per execute (the benchmark's unit).")
      .def_property_readonly("tile_traces", &KirchhoffPlan::tile_traces)
      .def_property_readonly("halo_traces", &KirchhoffPlan::halo_traces);
  add_plan_members<KirchhoffPlan>(kirchhoff);
  bind_fk_plan<StoltPlan, StoltOptions, double>(m, "StoltPlan");
  bind_fk_plan<PhaseShiftPlan, PhaseShiftOptions, VelocityModel>(m, "PhaseShiftPlan");

  m.def(
      "time_to_depth",
      [](py::object input, py::object output, const BScanMetadata& metadata, const VelocityModel& velocity,
         double dz, double depth, double z0, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        const Device where = parse_device(device);
        py::gil_scoped_release release;
        gprproc::time_to_depth(in, metadata, velocity, depth_axis(dz, depth, z0), out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("velocity"), py::arg("dz"),
      py::arg("depth"), py::arg("z0"), py::arg("device") = "auto", "Time-to-depth conversion without migration.");

  m.def(
      "correct_antenna_offset",
      [](py::object input, py::object output, const BScanMetadata& metadata, const VelocityModel& velocity,
         bool dip_moveout, const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        const Device where = parse_device(device);
        OffsetCorrectionOptions o;
        o.dip_moveout = dip_moveout;
        py::gil_scoped_release release;
        gprproc::correct_antenna_offset(in, metadata, velocity, o, out, where);
      },
      py::arg("input"), py::arg("output"), py::arg("metadata"), py::arg("velocity"), py::arg("dip_moveout") = true,
      py::arg("device") = "auto",
      "Common-offset B-scan remapped in time to zero offset (NMO, then dip moveout; docs/MIGRATION.md).");

  m.def(
      "fit_hyperbola",
      [](const std::vector<double>& x, const std::vector<double>& t, double antenna_offset, double antenna_height,
         double target_radius) {
        if (x.size() != t.size())
          throw InvalidArgument("fit_hyperbola: x and t must have the same length, got " + std::to_string(x.size()) +
                                " and " + std::to_string(t.size()));
        std::vector<Pick> picks;
        for (std::size_t i = 0; i < x.size(); ++i) picks.push_back({x[i], t[i]});
        const HyperbolaFit f = gprproc::fit_hyperbola(picks, antenna_offset, antenna_height, target_radius);
        py::dict d;
        d["velocity"] = f.velocity;
        d["apex_x"] = f.apex_x;
        d["apex_depth"] = f.apex_depth;
        d["apex_time"] = f.apex_time;
        d["rms_residual"] = f.rms_residual;
        d["iterations"] = f.iterations;
        return d;
      },
      py::arg("x"), py::arg("t"), py::arg("antenna_offset") = 0.0, py::arg("antenna_height") = 0.0,
      py::arg("target_radius") = 0.0);

  m.def(
      "velocity_scan",
      [](py::object input, const BScanMetadata& metadata, const std::vector<double>& velocities, double dz,
         double depth, double z0, double aperture, double max_angle, double taper, int oversampling,
         const std::string& device) {
        const ConstBScanView in = input_view(input, "input");
        if (in.memory != Memory::host)
          throw InvalidArgument("velocity_scan takes host (numpy) samples; copy a CuPy array to the host first");
        validate(in, "velocity_scan input");
        BScan b(std::vector<float>(in.samples, in.samples + in.size()), in.n_samples, in.n_traces, metadata);
        VelocityScanOptions o;
        o.kirchhoff = kirchhoff_options(aperture, max_angle, taper, false, false, oversampling);
        const Device where = parse_device(device);
        VelocityScan scan;
        {
          py::gil_scoped_release release;
          scan = gprproc::velocity_scan(b, velocities, depth_axis(dz, depth, z0), o, where);
        }
        py::dict d;
        d["velocities"] = scan.velocities;
        d["focus"] = scan.focus;
        d["best_index"] = scan.best_index;
        d["best"] = scan.best;
        return d;
      },
      py::arg("input"), py::arg("metadata"), py::arg("velocities"), py::arg("dz"), py::arg("depth"), py::arg("z0"),
      py::arg("aperture"), py::arg("max_angle"), py::arg("taper"), py::arg("oversampling"),
      py::arg("device") = "auto");
}

}  // namespace gprproc::python
