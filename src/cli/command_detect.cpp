// gprproc detect IMAGE.h5: targets in a migrated image, to screen, CSV, JSON and PNG.
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/io.hpp"
#include "outputs.hpp"
#include "pictures.hpp"
#include "targets_output.hpp"
#include "units.hpp"

namespace gprproc::cli {

namespace {
struct DetectCommandOptions {
  std::string path, group, csv, json, png, device = "auto";
  std::string min_separation = "10cm", min_depth = "0", max_depth, edge_margin = "0";
  double threshold = 8.0, relative_threshold = 0.0;
  int max_targets = 20;
  bool overwrite = false;
};

void run_detect(const DetectCommandOptions& o) {
  DetectOptions d;
  d.threshold = o.threshold;
  d.relative_threshold = o.relative_threshold;
  d.min_separation = parse_quantity(o.min_separation, Quantity::length, "--min-separation");
  d.min_depth = parse_quantity(o.min_depth, Quantity::length, "--min-depth");
  if (!o.max_depth.empty()) d.max_depth = parse_quantity(o.max_depth, Quantity::length, "--max-depth");
  d.edge_margin = parse_quantity(o.edge_margin, Quantity::length, "--edge-margin");
  d.max_targets = std::size_t(o.max_targets);
  validate(d);
  std::vector<std::string> outputs;
  for (const std::string* path : {&o.csv, &o.json, &o.png})
    if (!path->empty()) outputs.push_back(*path);
  check_outputs(outputs, o.overwrite);
  const Device device = resolve_device(parse_device(o.device));
  const DepthImage image = read_image(o.path, o.group);
  const Detection detection = detect(image, d, device);
  print_targets(detection);
  if (!o.csv.empty()) write_output(o.csv, targets_csv(detection), o.overwrite), std::printf("wrote %s\n", o.csv.c_str());
  if (!o.json.empty())
    write_output(o.json, targets_json(detection, d, o.path), o.overwrite), std::printf("wrote %s\n", o.json.c_str());
  if (!o.png.empty()) {
    write_output(o.png, image_png(image, "detections: " + o.path, &detection), o.overwrite);
    std::printf("wrote %s\n", o.png.c_str());
  }
}
}  // namespace

void register_detect(CLI::App& app) {
  auto o = std::make_shared<DetectCommandOptions>();
  CLI::App* command = app.add_subcommand("detect", "Find focused targets in a migrated depth image "
                                                   "(docs/DETECTION.md)");
  command->add_option("file", o->path, "gprproc HDF5 file holding a depth image")->required()->check(input_file());
  command->add_option("-g,--group", o->group, "Image group (default: the file's image)");
  command->add_option("-k,--threshold", o->threshold, "SNR a target must reach: median + k * 1.4826 MAD")
      ->check(CLI::PositiveNumber)->capture_default_str();
  command->add_option("--relative-threshold", o->relative_threshold, "Also at least this fraction of the maximum")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  command->add_option("--min-separation", o->min_separation, "Minimum distance between targets")
      ->capture_default_str();
  command->add_option("--min-depth", o->min_depth, "Search from this depth")->capture_default_str();
  command->add_option("--max-depth", o->max_depth, "Search to this depth (default: the whole image)");
  command->add_option("--edge-margin", o->edge_margin, "Ignore this much at either end of the profile")
      ->capture_default_str();
  command->add_option("--max-targets", o->max_targets, "At most this many targets")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  command->add_option("--csv", o->csv, "Write the targets as CSV");
  command->add_option("--json", o->json, "Write the targets as JSON");
  command->add_option("--png", o->png, "Draw the image with the targets marked");
  command->add_flag("--overwrite", o->overwrite, "Replace existing output files");
  command->add_option("--device", o->device, "cpu, cuda or auto")->capture_default_str();
  command->callback([o] { run_detect(*o); });
}

}  // namespace gprproc::cli
