// Migration: Kirchhoff over apertures of 64 / 256 / 1024 traces, Stolt,
// phase shift, time-to-depth and a 64-velocity scan (CPU and CUDA). Plans are built outside
// the timing (they are reused across a stream of B-scans); one execute is timed.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_data.hpp"
#include "bench_ops.hpp"
#include "scoped_environment.hpp"  // tests/support
#include "gprproc/migration.hpp"
#include "gprproc/velocity.hpp"

namespace gprproc::bench {

using gprproc_test::ScopedEnvironment;

namespace {

// Depth rows every 5 mm down to where the last sample's two-way time reaches.
DepthAxis bench_depth_axis(const Shape& shape) {
  DepthAxis axis;
  axis.dz = 5e-3;
  axis.depth = std::max(0.05, bench_velocity * bench_metadata().dt * double(shape.n_samples - 1) / 2.0);
  return axis;
}

// Aperture of `traces` traces in all: a half-width of traces / 2 trace spacings,
// with the angle limit opened to 80 degrees so that the trace count decides.
KirchhoffOptions aperture_options(std::size_t traces) {
  KirchhoffOptions options;
  options.aperture = 0.5 * double(traces) * bench_metadata().dx;
  options.max_angle = 80.0 * 3.14159265358979323846 / 180.0;
  return options;
}

// `antialias`: the same sum with triangle-filter anti-aliasing (its cost).
// `tile`: image columns per tile (KirchhoffOptions::tile_traces; 0 = the
// default memory budget, which leaves these shapes untiled).
// `global_reads`: the CUDA plan made with GPRPROC_CUDA_KIRCHHOFF_READS=global
// (cuda/migration_kirchhoff.cu: sample-major global reads instead of the texture).
Op kirchhoff_op(const Shape& shape, std::size_t traces, bool antialias = false, std::size_t tile = 0,
                bool global_reads = false) {
  const BScanMetadata meta = bench_metadata();
  const DepthAxis axis = bench_depth_axis(shape);
  Op op;
  op.name = global_reads ? "kirchhoff_global_reads"
            : tile > 0   ? "kirchhoff_tiled"
            : antialias  ? "kirchhoff_antialias"
                         : "kirchhoff";
  op.parameters = "aperture " + std::to_string(traces) + " traces, plan reused";
  if (tile > 0) op.parameters += ", tiles of " + std::to_string(tile) + " columns";
  op.work_unit = "contributions/s";
  op.out_rows = axis.n_z();
  op.out_columns = shape.n_traces;
  const std::size_t ns = shape.n_samples, nt = shape.n_traces;
  op.prepare = [meta, axis, traces, ns, nt, antialias, tile, global_reads](Device device, Op& self) -> Runner {
    KirchhoffOptions options = aperture_options(traces);
    options.antialias = antialias;
    options.tile_traces = tile;
    // The switch is read when the plan is made, and put back right after.
    const ScopedEnvironment reads("GPRPROC_CUDA_KIRCHHOFF_READS", global_reads ? "global" : nullptr);
    auto plan = std::make_shared<KirchhoffPlan>(meta, ns, nt, VelocityModel::constant(bench_velocity), axis, options,
                                                device);
    self.work = plan->contributions();
    return [plan](ConstBScanView in, BScanView out) { plan->execute(in, out); };
  };
  return op;
}

Op stolt_op(const Shape& shape, const std::string& name) {
  const BScanMetadata meta = bench_metadata();
  const DepthAxis axis = bench_depth_axis(shape);
  Op op;
  op.name = name;
  // The padded size (StoltOptions' default 2 x 2, rounded up to powers of two) is what the FFTs cost.
  const auto padded = [](std::size_t n) {
    std::size_t p = 1;
    while (p < 2 * n) p *= 2;
    return p;
  };
  op.parameters = "padding 2x2 (FFT " + std::to_string(padded(shape.n_samples)) + "x" +
                  std::to_string(padded(shape.n_traces)) + "), offset NMO, no DMO, plan reused";
  op.work = shape.samples();
  op.out_rows = axis.n_z();
  op.out_columns = shape.n_traces;
  const std::size_t ns = shape.n_samples, nt = shape.n_traces;
  op.prepare = [meta, axis, ns, nt](Device device, Op&) -> Runner {
    StoltOptions o;
    o.dip_moveout = false;  // the migration itself; the DMO is its own row (dip_moveout)
    auto plan = std::make_shared<StoltPlan>(meta, ns, nt, bench_velocity, axis, o, device);
    return [plan](ConstBScanView in, BScanView out) { plan->execute(in, out); };
  };
  return op;
}

// Phase shift, constant velocity, no DMO. `rows`: the CUDA plan made with
// GPRPROC_CUDA_PHASE_SHIFT_ROWS set to it (image rows per thread of the
// imaging kernel); nullptr leaves the default (16).
Op phase_shift_op(const Shape& shape, const char* rows = nullptr) {
  const BScanMetadata meta = bench_metadata();
  const DepthAxis axis = bench_depth_axis(shape);
  Op op;
  op.name = rows ? std::string("phase_shift_rows") + rows : std::string("phase_shift");
  op.parameters = "constant v, padding 2x2, offset NMO, no DMO, ";
  if (rows) op.parameters += std::string(rows) + " image rows per thread, ";
  op.parameters += "plan reused";
  op.work = shape.samples();
  op.out_rows = axis.n_z();
  op.out_columns = shape.n_traces;
  const std::size_t ns = shape.n_samples, nt = shape.n_traces;
  const std::string value = rows ? rows : "";
  op.prepare = [meta, axis, ns, nt, value](Device device, Op&) -> Runner {
    PhaseShiftOptions o;
    o.dip_moveout = false;  // the migration itself; the DMO is its own row (dip_moveout)
    const ScopedEnvironment switch_rows("GPRPROC_CUDA_PHASE_SHIFT_ROWS", value.empty() ? nullptr : value.c_str());
    auto plan = std::make_shared<PhaseShiftPlan>(meta, ns, nt, VelocityModel::constant(bench_velocity), axis, o,
                                                 device);
    return [plan](ConstBScanView in, BScanView out) { plan->execute(in, out); };
  };
  return op;
}

}  // namespace

std::vector<Op> migration_ops(const Shape& shape, const Options& options) {
  std::vector<Op> ops;
  if (shape.label == "batch") return ops;  // a 2 GiB migration is a survey job (tiles), not one call
  const BScanMetadata meta = bench_metadata();
  const DepthAxis axis = bench_depth_axis(shape);
  const bool small = shape.label == "quick" || shape.label == "field";

  if (shape.label == "quick") ops.push_back(kirchhoff_op(shape, 64));
  else if (shape.label == "field")
    for (std::size_t traces : {64, 256, 1024}) ops.push_back(kirchhoff_op(shape, traces));
  else ops.push_back(kirchhoff_op(shape, 256));
  if (small) ops.push_back(kirchhoff_op(shape, 64, true));
  if (shape.label == "field") ops.push_back(kirchhoff_op(shape, 256, false, 512));  // the cost of tiling

  ops.push_back(stolt_op(shape, "stolt"));

  if (small) ops.push_back(phase_shift_op(shape));

  // What the f-k migrations add by default for a common-offset B-scan: the
  // offset remap alone (NMO) and with its dip moveout, set-up included
  // (correct_antenna_offset makes it per call). Field and long profile.
  for (const bool dip_moveout : {false, true}) {
    Op remap;
    remap.name = dip_moveout ? "dip_moveout" : "correct_antenna_offset";
    remap.parameters = std::string("correct_antenna_offset: NMO") + (dip_moveout ? " + DMO" : " only") + ", offset " +
                       std::to_string(meta.antenna_offset) + " m";
    remap.work = shape.samples();
    remap.out_rows = shape.n_samples;
    remap.out_columns = shape.n_traces;
    remap.prepare = [meta, dip_moveout](Device device, Op&) -> Runner {
      OffsetCorrectionOptions o;
      o.dip_moveout = dip_moveout;
      return [meta, o, device](ConstBScanView in, BScanView out) {
        correct_antenna_offset(in, meta, VelocityModel::constant(bench_velocity), o, out, device);
      };
    };
    ops.push_back(remap);
  }

  Op depth;
  depth.name = "time_to_depth";
  depth.parameters = "constant v, sinc";
  depth.work = double(axis.n_z()) * double(shape.n_traces);
  depth.work_unit = "pixels/s";
  depth.out_rows = axis.n_z();
  depth.out_columns = shape.n_traces;
  depth.prepare = [meta, axis](Device device, Op&) -> Runner {
    return [meta, axis, device](ConstBScanView in, BScanView out) {
      time_to_depth(in, meta, VelocityModel::constant(bench_velocity), axis, out, device);
    };
  };
  ops.push_back(depth);

  if (small) {
    // The scan migrates at every velocity (3 Kirchhoff sums each) over the
    // targets' depths; it takes a host B-scan (convenience level).
    const std::size_t count = options.quick ? 4 : 64;
    Op scan;
    scan.name = "velocity_scan";
    scan.parameters = std::to_string(count) + " velocities, aperture 64 traces, z 0.1-1.1 m";
    scan.work = double(count);
    scan.work_unit = "velocities/s";
    scan.device_views = false;
    const Shape s = shape;
    scan.prepare = [s, count, meta](Device device, Op&) -> Runner {
      auto input = std::make_shared<BScan>(bench_bscan(s));
      std::vector<double> velocities(count);
      for (std::size_t k = 0; k < count; ++k)
        velocities[k] = 0.6e8 + (2.0e8 - 0.6e8) * double(k) / double(std::max<std::size_t>(1, count - 1));
      DepthAxis scan_axis;
      scan_axis.dz = 5e-3;
      scan_axis.z0 = 0.1;
      scan_axis.depth = std::min(1.1, std::max(0.15, bench_velocity * meta.dt * double(s.n_samples - 1) / 2.0));
      VelocityScanOptions scan_options;
      scan_options.kirchhoff = aperture_options(64);
      return [input, velocities, scan_axis, scan_options, device](ConstBScanView, BScanView) {
        (void)velocity_scan(*input, velocities, scan_axis, scan_options, device);
      };
    };
    ops.push_back(scan);
  }
  return ops;
}

std::vector<Op> stolt_square_ops(const Shape& shape, const Options&) { return {stolt_op(shape, "stolt")}; }

std::vector<Op> kirchhoff_global_reads_ops(const Shape& shape, const Options&) {
  std::vector<Op> ops;
  if (shape.label == "field")
    for (std::size_t traces : {64, 256, 1024}) ops.push_back(kirchhoff_op(shape, traces, false, 0, true));
  else if (shape.label == "long" || shape.label == "quick")
    ops.push_back(kirchhoff_op(shape, shape.label == "quick" ? 64 : 256, false, 0, true));
  return ops;
}

// Phase shift at the field size with CUDA plans made with
// GPRPROC_CUDA_PHASE_SHIFT_ROWS = 1 and 4 (rows per ps_image thread; the
// default 16 is the phase_shift row of migration_ops).
std::vector<Op> phase_shift_rows_ops(const Shape& shape, const Options&) {
  if (shape.label != "field" && shape.label != "quick") return {};
  return {phase_shift_op(shape, "1"), phase_shift_op(shape, "4")};
}

Options square_options(const Options& options) {
  Options square = options;
  square.shapes.clear();
  square.cpu_shapes.clear();  // the square runs where the field size runs, CPU and GPU alike
  // Issue 7's Stolt goal is "a 4096 x 4096 padded B-scan": 2048 x 2048 padded 2 x 2 is that
  // FFT; 4096 x 4096 padded to 8192 x 8192 is measured beside it.
  if (!options.quick && has_shape(options, "field")) {
    square.shapes.push_back({"square", 2048, 2048});
    square.shapes.push_back({"square", 4096, 4096});
  }
  return square;
}

namespace {
const bool registered = register_suite("migration_cpu", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cpu(migration_ops, options, out);
  run_ops_cpu(stolt_square_ops, square_options(options), out);
});
}  // namespace

}  // namespace gprproc::bench
