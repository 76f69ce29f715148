// gprproc migrate IN -o OUT.h5: one migration with parameters on the command line.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "gprproc/io.hpp"
#include "gprproc/migration.hpp"
#include "outputs.hpp"
#include "pictures.hpp"
#include "progress.hpp"
#include "units.hpp"

namespace gprproc::cli {

namespace {
struct MigrateOptions {
  InputOptions input;
  std::string output, output_group = "migrated", png, method = "kirchhoff", velocity, device = "auto";
  std::string dz = "2mm", depth;
  double permittivity = 0.0;
  bool overwrite = false, quiet = false;
  bool no_offset_correction = false, no_dip_moveout = false;  // Stolt and phase shift
};

void run_migrate(const MigrateOptions& o) {
  const MigrationMethod method = parse_migration_method(o.method);
  const Device requested = parse_device(o.device);
  double velocity = 0.0;
  if (!o.velocity.empty() && o.permittivity > 0)
    throw InvalidArgument("give --velocity or --permittivity, not both");
  if (!o.velocity.empty()) velocity = parse_quantity(o.velocity, Quantity::velocity, "--velocity");
  else if (o.permittivity > 0) velocity = velocity_from_permittivity(o.permittivity);
  else throw InvalidArgument("migrate needs --velocity (e.g. 0.1m/ns) or --permittivity");
  DepthAxis axis;
  axis.dz = parse_quantity(o.dz, Quantity::length, "--dz");
  axis.depth = parse_quantity(o.depth, Quantity::length, "--depth");
  axis.validate();
  const auto model = VelocityModel::constant(velocity);
  model.validate();
  if (method == MigrationMethod::kirchhoff && (o.no_offset_correction || o.no_dip_moveout))
    throw InvalidArgument("--no-offset-correction and --no-dip-moveout are for --method stolt or phase_shift "
                          "(Kirchhoff uses the exact common-offset travel times)");
  check_hdf5_output(o.output);
  if (!o.png.empty()) {
    check_outputs({o.output, o.png}, true);  // two different files
    check_outputs({o.png}, o.overwrite);
  }
  const Device device = resolve_device(requested);
  BScan b = load_bscan(o.input);
  apply_geometry_options(o.input, b);
  DepthImage image;
  {
    Progress progress("migrate", 1, o.quiet);
    progress.update(0, to_string(method));
    if (method == MigrationMethod::stolt) {
      StoltOptions so;
      so.correct_offset = !o.no_offset_correction;
      so.dip_moveout = !o.no_dip_moveout;
      image = migrate_stolt(b, velocity, axis, so, device);
    } else if (method == MigrationMethod::phase_shift) {
      PhaseShiftOptions po;
      po.correct_offset = !o.no_offset_correction;
      po.dip_moveout = !o.no_dip_moveout;
      image = migrate_phase_shift(b, model, axis, po, device);
    } else {
      image = migrate(b, method, model, axis, device);
    }
  }
  WriteOptions w;
  w.overwrite_group = o.overwrite;
  write_image(o.output, image, o.output_group, w);
  if (!o.quiet) std::printf("wrote %s (group %s, %zu x %zu)\n", o.output.c_str(), o.output_group.c_str(),
                            image.n_z(), image.n_x());
  if (!o.png.empty()) {
    write_output(o.png, image_png(image, std::string(to_string(method)) + " migration", nullptr), o.overwrite);
    if (!o.quiet) std::printf("wrote %s\n", o.png.c_str());
  }
}
}  // namespace

void register_migrate(CLI::App& app) {
  auto o = std::make_shared<MigrateOptions>();
  CLI::App* command = app.add_subcommand("migrate", "Migrate a B-scan into a depth image");
  add_input_options(*command, o->input);
  add_geometry_options(*command, o->input);
  command->add_option("-o,--output", o->output, "Output HDF5 file (the image is added as a group)")->required();
  command->add_option("--output-group", o->output_group, "Group of the image")->capture_default_str();
  command->add_flag("--overwrite", o->overwrite, "Replace an existing group of that name, and an existing --png file");
  command->add_option("-m,--method", o->method, "kirchhoff, stolt or phase_shift")->capture_default_str();
  command->add_option("-v,--velocity", o->velocity, "Velocity in the ground, e.g. 0.1m/ns");
  command->add_option("--permittivity", o->permittivity, "Relative permittivity of the ground (instead of --velocity)");
  command->add_option("--dz", o->dz, "Depth step, e.g. 2mm")->capture_default_str();
  command->add_option("--depth", o->depth, "Deepest image row, e.g. 30cm")->required();
  command->add_option("--png", o->png, "Also draw the image to this PNG");
  command->add_flag("--no-offset-correction", o->no_offset_correction,
                    "Stolt / phase shift: take a common-offset B-scan as zero offset (no remap)");
  command->add_flag("--no-dip-moveout", o->no_dip_moveout,
                    "Stolt / phase shift: remap the antenna offset by NMO alone, without dip moveout");
  command->add_option("--device", o->device, "cpu, cuda or auto")->capture_default_str();
  command->add_flag("-q,--quiet", o->quiet, "No progress bar or summary");
  command->callback([o] { run_migrate(*o); });
}

}  // namespace gprproc::cli
