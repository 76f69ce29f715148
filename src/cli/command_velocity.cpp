// gprproc velocity IN: a migration velocity scan; prints and plots the focusing curve.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "gprproc/background.hpp"
#include "gprproc/io.hpp"
#include "outputs.hpp"
#include "pictures.hpp"
#include "progress.hpp"
#include "scan.hpp"
#include "units.hpp"

namespace gprproc::cli {

namespace {
struct VelocityOptions {
  InputOptions input;
  std::string v_min = "0.05m/ns", v_max = "0.2m/ns", dz = "2mm", depth, background = "mean", png, device = "auto";
  std::string min_depth = "0", aperture;
  double max_angle = 70.0;
  int count = 31;
  bool quiet = false, overwrite = false;
};

void run_velocity(const VelocityOptions& o) {
  const double v_min = parse_quantity(o.v_min, Quantity::velocity, "--min");
  const double v_max = parse_quantity(o.v_max, Quantity::velocity, "--max");
  if (!(v_min > 0 && v_max > v_min)) throw InvalidArgument("--min and --max: need 0 < min < max");
  DepthAxis axis;
  axis.dz = parse_quantity(o.dz, Quantity::length, "--dz");
  axis.depth = parse_quantity(o.depth, Quantity::length, "--depth");
  axis.z0 = parse_quantity(o.min_depth, Quantity::length, "--min-depth");
  axis.validate();
  KirchhoffOptions kirchhoff;
  if (!o.aperture.empty()) kirchhoff.aperture = parse_quantity(o.aperture, Quantity::length, "--aperture");
  if (!(kirchhoff.aperture > 0)) throw InvalidArgument("--aperture must be positive");
  kirchhoff.max_angle = o.max_angle * 3.141592653589793 / 180.0;
  const bool remove = o.background != "none";
  BackgroundOptions bg;
  if (remove) bg.method = parse_background_method(o.background);
  if (!o.png.empty()) check_outputs({o.png}, o.overwrite);
  const Device device = resolve_device(parse_device(o.device));
  BScan b = load_bscan(o.input);
  apply_geometry_options(o.input, b);
  if (remove) b = remove_background(b, bg, device);
  VelocityScan scan;
  {
    Progress progress("velocity", o.count, o.quiet);
    scan = scan_velocities(b, v_min, v_max, o.count, axis, kirchhoff, device, &progress, "v");
  }
  std::printf("  velocity (m/ns)   focus\n");
  for (std::size_t k = 0; k < scan.velocities.size(); ++k)
    std::printf("  %14.4f   %.4f%s\n", scan.velocities[k] * 1e-9, scan.focus[k], k == scan.best_index ? "  <" : "");
  std::printf("best velocity %.4f m/ns (relative permittivity %.2f)\n", scan.best * 1e-9,
              permittivity_from_velocity(scan.best));
  if (best_near_range_end(scan))
    std::printf("warning: the best focus is at the end of the scanned range: no maximum was found (flat-topped "
                "targets focus about equally at every velocity, docs/MIGRATION.md); widen the range or fit a "
                "hyperbola\n");
  if (!o.png.empty()) {
    write_output(o.png, velocity_png(scan, "velocity scan: " + o.input.path), o.overwrite);
    std::printf("wrote %s\n", o.png.c_str());
  }
}
}  // namespace

void register_velocity(CLI::App& app) {
  auto o = std::make_shared<VelocityOptions>();
  CLI::App* command = app.add_subcommand("velocity", "Velocity scan: migrate at many velocities, print and plot "
                                                     "how well each focuses");
  add_input_options(*command, o->input);
  add_geometry_options(*command, o->input);
  command->add_option("--min", o->v_min, "Lowest velocity")->capture_default_str();
  command->add_option("--max", o->v_max, "Highest velocity")->capture_default_str();
  command->add_option("-n,--count", o->count, "Number of velocities")->check(CLI::Range(3, 1000))->capture_default_str();
  command->add_option("--dz", o->dz, "Depth step")->capture_default_str();
  command->add_option("--depth", o->depth, "Deepest row of the scan's images, e.g. 30cm")->required();
  command->add_option("--min-depth", o->min_depth, "Shallowest row (skip the ground bounce), e.g. 2cm")
      ->capture_default_str();
  command->add_option("--background", o->background, "Background removal first: mean, moving_mean, svd, ..., none")
      ->capture_default_str();
  command->add_option("--aperture", o->aperture, "Half-width of the migration aperture, e.g. 12cm (default: all)");
  command->add_option("--max-angle", o->max_angle, "Largest angle from the vertical, degrees")
      ->check(CLI::Range(1.0, 89.0))->capture_default_str();
  command->add_option("--png", o->png, "Plot the focusing curve to this PNG");
  command->add_flag("--overwrite", o->overwrite, "Replace an existing PNG");
  command->add_option("--device", o->device, "cpu, cuda or auto")->capture_default_str();
  command->add_flag("-q,--quiet", o->quiet, "No progress bar");
  command->callback([o] { run_velocity(*o); });
}

}  // namespace gprproc::cli
