// gprproc process IN -r RECIPE -o OUT.h5: runs a recipe (docs/RECIPES.md).
// The recipe, the command line and every output name are checked completely
// before any data is read; every saved stage is written as its own group, with
// its history (the recipe text included). OUT.h5, the targets and the pictures
// are one output set (src/io/output_set.hpp): staged complete, then published
// together, so a kill at any instant never leaves two runs' files as one set.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "commands.hpp"
#include "gprproc/background.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/gain.hpp"
#include "gprproc/io.hpp"
#include "gprproc/migration.hpp"
#include "io/output_set.hpp"
#include "outputs.hpp"
#include "pictures.hpp"
#include "progress.hpp"
#include "recipe.hpp"
#include "scan.hpp"
#include "targets_output.hpp"
#include "units.hpp"

namespace gprproc::cli {

namespace {

struct ProcessOptions {
  InputOptions input;
  std::string recipe, output, device = "auto";
  bool quiet = false, overwrite = false, no_pictures = false;
};

// The B-scan the recipe starts from: gprMax files get the recipe's [input]
// geometry (they carry none), then the command line overrides.
BScan load_for_recipe(const ProcessOptions& o, const Recipe& recipe) {
  InputOptions in = o.input;
  const bool gprmax = !is_hdf5_file(in.path) || is_gprmax_file(in.path);
  if (gprmax) {
    if (in.component == "Ez" && recipe.input.component != "Ez") in.component = recipe.input.component;
    if (in.dx_text.empty() && recipe.input.dx) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", *recipe.input.dx);
      in.dx_text = buf;
    }
  }
  BScan b = load_bscan(in);
  if (gprmax) {
    const auto& g = recipe.input;
    if (g.x0 && in.x0_text.empty()) b.metadata.x0 = *g.x0;
    if (g.t0) b.metadata.t0 = *g.t0;
    if (g.antenna_offset) b.metadata.antenna_offset = *g.antenna_offset;
    if (g.antenna_height) b.metadata.antenna_height = *g.antenna_height;
    if (g.center_frequency) b.metadata.center_frequency = *g.center_frequency;
  }
  apply_geometry_options(in, b);
  return b;
}

BScan run_bscan_step(const Step& s, const BScan& b, Device device) {
  switch (s.kind) {
    case StepKind::time_zero:
      return s.time_zero ? shift_time_zero(b, *s.time_zero, 8, device) : correct_time_zero(b, s.time_zero_pick, device);
    case StepKind::dc: return remove_dc(b, TimeWindow::whole_trace(), device);
    case StepKind::dewow: return dewow(b, s.dewow_window, device);
    case StepKind::bandpass: return bandpass(b, s.bandpass, device);
    case StepKind::gain:
      if (s.gain == GainKind::agc) return agc(b, s.agc, device);
      {
        TimeGain g = s.time_gain;
        if (s.gain == GainKind::power) g.exponent = 0.0;
        if (s.gain == GainKind::exponential) g.power = 0.0;
        return time_gain(b, g, device);
      }
    case StepKind::background: {
      validate(s.background, b.n_samples(), b.n_traces());
      return remove_background(b, s.background, device);
    }
    default: break;
  }
  throw InvalidArgument(std::string("step ") + to_string(s.kind) + " does not work on a B-scan");
}

DepthImage run_migration(const Step& s, const BScan& b, Device device, bool quiet, Progress& progress) {
  double velocity = s.velocity.velocity;
  std::optional<HistoryParameters> scan_record;
  if (s.velocity.automatic) {
    DepthAxis scan_axis = s.depth_axis;
    scan_axis.z0 = s.velocity.scan_min_depth;
    const VelocityScan scan = scan_velocities(b, s.velocity.scan_min, s.velocity.scan_max, s.velocity.scan_count,
                                              scan_axis, s.kirchhoff, device, &progress, "velocity scan");
    // A best focus at either end of the range, or within a tenth of the
    // range of it, cannot be told from a boundary maximum: the scan did not
    // find the velocity (flat-topped targets focus about equally at every
    // velocity), so the recipe's fallback is used where it gives one.
    const bool at_edge = best_near_range_end(scan, 0.1);
    const bool use_fallback = at_edge && s.velocity.fallback_velocity > 0.0;
    velocity = use_fallback ? s.velocity.fallback_velocity : scan.best;
    if (!quiet) {
      progress.finish();
      std::printf("velocity scan: best %.4f m/ns (focus %.3f) over %.4f .. %.4f m/ns\n", scan.best * 1e-9,
                  scan.focus[scan.best_index], s.velocity.scan_min * 1e-9, s.velocity.scan_max * 1e-9);
      if (use_fallback)
        std::printf("velocity scan: the best focus is at (or within a tenth of the range of) an end of the range, so "
                    "no velocity was found; "
                    "migrating at fallback_velocity %.4f m/ns\n", velocity * 1e-9);
      else if (at_edge)
        std::printf("warning: the best focus is at (or near) an end of the scanned range; the velocity may lie outside "
                    "it (widen scan_min/scan_max or give fallback_velocity)\n");
    }
    scan_record.emplace();
    scan_record->add("velocities", scan.velocities).add("focus", scan.focus).add("best", scan.best)
        .add("best_at_range_end", at_edge).add("fallback_velocity", s.velocity.fallback_velocity)
        .add("velocity_used", velocity);
  }
  const VelocityModel model = VelocityModel::constant(velocity);
  DepthImage image = [&] {
    switch (s.migration) {
      case MigrationMethod::kirchhoff: return migrate_kirchhoff(b, model, s.depth_axis, s.kirchhoff, device);
      case MigrationMethod::stolt: {
        StoltOptions o;
        o.correct_offset = s.correct_offset;
        o.dip_moveout = s.dip_moveout;
        return migrate_stolt(b, velocity, s.depth_axis, o, device);
      }
      case MigrationMethod::phase_shift: {
        PhaseShiftOptions o;
        o.correct_offset = s.correct_offset;
        o.dip_moveout = s.dip_moveout;
        return migrate_phase_shift(b, model, s.depth_axis, o, device == Device::cuda ? Device::cuda : Device::cpu);
      }
    }
    throw InvalidArgument("unknown migration method");
  }();
  if (scan_record) {
    // The scan decided the velocity: keep it beside the migration step, so
    // the file alone says why this velocity was used.
    History& h = image.history;
    append_history(h, "velocity_scan", *scan_record);
    if (h.size() >= 2) std::swap(h[h.size() - 1], h[h.size() - 2]);
  }
  return image;
}

void add_detection_history(DepthImage& image, const Detection& d, const DetectOptions& o) {
  std::vector<double> x, z, a, snr;
  for (const Target& t : d.targets) x.push_back(t.x), z.push_back(t.depth), a.push_back(t.amplitude),
                                   snr.push_back(t.snr);
  HistoryParameters p;
  p.add("threshold", o.threshold).add("relative_threshold", o.relative_threshold)
      .add("min_separation", o.min_separation).add("min_depth", o.min_depth)
      .add("max_depth", std::isfinite(o.max_depth) ? o.max_depth : -1.0).add("edge_margin", o.edge_margin)
      .add("max_targets", o.max_targets).add("envelope", o.use_envelope)
      .add("background_median", d.background_median).add("background_sigma", d.background_sigma)
      .add("target_x", x).add("target_depth", z).add("target_amplitude", a).add("target_snr", snr);
  append_history(image.history, "detect", p);
}

// The files a run of `recipe` writes beside OUT.h5 (before any data is read).
struct PlannedOutputs {
  std::string image_group;                        // "" without a migrate step
  std::vector<std::string> bscan_groups;          // "raw" and the saved B-scan steps
  std::vector<std::string> siblings;              // targets CSV/JSON and PNGs, beside OUT.h5
};

PlannedOutputs plan_outputs(const ProcessOptions& o, const Recipe& recipe) {
  PlannedOutputs plan;
  plan.bscan_groups.push_back("raw");
  bool detects = false;
  for (const Step& s : recipe.steps) {
    if (s.kind == StepKind::migrate) plan.image_group = s.save.empty() ? "migrated" : s.save;
    else if (s.kind == StepKind::detect) detects = true;
    else if (!s.save.empty()) plan.bscan_groups.push_back(s.save);
  }
  if (detects) {
    plan.siblings.push_back(sibling_path(o.output, "targets.csv"));
    plan.siblings.push_back(sibling_path(o.output, "targets.json"));
  }
  if (!o.no_pictures) {
    for (const std::string& g : plan.bscan_groups) plan.siblings.push_back(sibling_path(o.output, g + ".png"));
    if (!plan.image_group.empty()) plan.siblings.push_back(sibling_path(o.output, plan.image_group + ".png"));
  }
  return plan;
}

// The files of the set an earlier `process` left at OUT.h5 (its groups'
// pictures and the targets), so those this run does not write go with it
// instead of standing beside the new OUT.h5 as if they were of this run.
std::vector<std::string> previous_set(const std::string& output) {
  std::vector<std::string> files;
  try {
    if (!is_hdf5_file(output)) return files;
    const std::vector<GroupInfo> groups = list_groups(output);
    bool from_process = false;
    for (const GroupInfo& g : groups) from_process = from_process || g.name == "/raw";
    if (!from_process) return files;
    for (const GroupInfo& g : groups) {
      const std::string name = g.name.substr(1);
      if (name.find('/') == std::string::npos && name != "processed")
        files.push_back(sibling_path(output, name + ".png"));
    }
  } catch (const Error&) {
    return files;  // a damaged file: only the files this run writes are replaced
  }
  files.push_back(sibling_path(output, "targets.csv"));
  files.push_back(sibling_path(output, "targets.json"));
  return files;
}

// The temporary names add about 80 bytes to OUT.h5's name (a staged copy of a staged file).
void check_name_length(const std::string& path) {
  const std::size_t length = std::filesystem::path(path).filename().string().size();
  if (length > 170) {
    throw InvalidArgument("output name '" + path + "' is " + std::to_string(length) +
                          " bytes long; process takes names of up to 170 bytes (its temporary names are longer)");
  }
}

void run_process(const ProcessOptions& o) {
  // Everything that can be checked before reading data is checked here.
  use_input(o.recipe);
  const Recipe recipe = load_recipe(o.recipe);
  const Device requested = parse_device(o.device);
  for (const std::string* text : {&o.input.dx_text, &o.input.x0_text, &o.input.antenna_height_text,
                                  &o.input.antenna_offset_text})
    if (!text->empty()) parse_quantity(*text, Quantity::length, "geometry option");
  if (!o.input.t0_text.empty()) parse_quantity(o.input.t0_text, Quantity::time, "--t0");
  const PlannedOutputs plan = plan_outputs(o, recipe);
  // The set completes a publish a killed run left, then checks OUT.h5 (never
  // the input, not an existing file without --overwrite).
  io_detail::OutputSet outputs(o.output, io_detail::OutputRules{o.overwrite, "pass --overwrite to replace it"});
  std::vector<std::string> all{o.output};
  all.insert(all.end(), plan.siblings.begin(), plan.siblings.end());
  for (const std::string& path : all) check_name_length(path);
  check_outputs(all, o.overwrite);
  const Device device = resolve_device(requested);

  BScan b = load_for_recipe(o, recipe);
  HistoryParameters recipe_step;
  recipe_step.add("file", recipe.path).add("name", recipe.name).add("text", recipe.text);
  append_history(b.history, "recipe", recipe_step);

  std::vector<std::pair<std::string, BScan>> bscans{{"raw", b}};
  std::optional<std::pair<std::string, DepthImage>> image;
  std::optional<Detection> detection;
  std::optional<DetectOptions> detect_options;
  {
    Progress progress("process", int(recipe.steps.size()), o.quiet);
    for (std::size_t k = 0; k < recipe.steps.size(); ++k) {
      const Step& s = recipe.steps[k];
      progress.update(int(k), to_string(s.kind));
      if (s.kind == StepKind::migrate) {
        image.emplace(plan.image_group, run_migration(s, b, device, o.quiet, progress));
      } else if (s.kind == StepKind::detect) {
        detection = detect(image->second, s.detect, device);
        detect_options = s.detect;
        add_detection_history(image->second, *detection, s.detect);
      } else {
        b = run_bscan_step(s, b, device);
        if (!s.save.empty()) bscans.emplace_back(s.save, b);
      }
    }
    progress.update(int(recipe.steps.size()), "writing");
  }

  // Stage every file of the set, then publish them together.
  const std::string& staging = outputs.anchor_staging();
  for (const auto& [group, scan] : bscans) write_bscan(staging, scan, group);
  if (!image && bscans.size() == 1) write_bscan(staging, b, "processed");
  if (image) write_image(staging, image->second, image->first);
  if (detection) {
    outputs.add(sibling_path(o.output, "targets.csv"), targets_csv(*detection));
    outputs.add(sibling_path(o.output, "targets.json"), targets_json(*detection, *detect_options, o.input.path));
  }
  if (!o.no_pictures) {
    outputs.add(sibling_path(o.output, "raw.png"), bscan_png(bscans.front().second, "raw: " + o.input.path));
    for (std::size_t k = 1; k < bscans.size(); ++k)
      outputs.add(sibling_path(o.output, bscans[k].first + ".png"), bscan_png(bscans[k].second, bscans[k].first));
    if (image)
      outputs.add(sibling_path(o.output, image->first + ".png"),
                  image_png(image->second, image->first + (detection ? " with detections" : ""),
                            detection ? &*detection : nullptr));
  }
  outputs.publish([&] { return previous_set(o.output); });

  if (!o.quiet) {
    std::printf("wrote %s (groups:", o.output.c_str());
    for (const auto& entry : bscans) std::printf(" %s", entry.first.c_str());
    if (image) std::printf(" %s", image->first.c_str());
    std::printf(")\n");
  }
  if (detection) {
    print_targets(*detection);
    if (!o.quiet)
      std::printf("wrote %s, %s\n", sibling_path(o.output, "targets.csv").c_str(),
                  sibling_path(o.output, "targets.json").c_str());
  }
}

}  // namespace

void register_process(CLI::App& app) {
  auto o = std::make_shared<ProcessOptions>();
  CLI::App* command = app.add_subcommand("process", "Run a processing recipe: filters, background removal, "
                                                    "migration and target detection, into one HDF5 file");
  add_input_options(*command, o->input);
  add_geometry_options(*command, o->input);
  command->add_option("-r,--recipe", o->recipe, "Recipe file (TOML, docs/RECIPES.md)")->required();
  command->add_option("-o,--output", o->output, "Output HDF5 file; pictures and targets go beside it")->required();
  command->add_option("--device", o->device, "cpu, cuda or auto")->capture_default_str();
  command->add_flag("--overwrite", o->overwrite, "Replace an existing output set (OUT.h5 and the files beside it)");
  command->add_flag("--no-pictures", o->no_pictures, "Do not write PNG panels");
  command->add_flag("-q,--quiet", o->quiet, "No progress bar and no summary (targets are still printed)");
  command->callback([o] { run_process(*o); });
}

}  // namespace gprproc::cli
