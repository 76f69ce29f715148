// gprproc info FILE: what a file holds, and a summary of each B-scan.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "gprproc/io.hpp"
#include "gprproc/vendor_formats.hpp"
#include "units.hpp"

namespace gprproc::cli {

namespace {
void print_history(const History& history) {
  std::printf("  history          %zu step(s)\n", history.size());
  for (const auto& step : history)
    std::printf("    - %s %s (gprproc %s)\n", step.operation.c_str(), step.parameters_json.c_str(),
                step.library_version.c_str());
}

void print_summary(const DepthImage& image) {
  const auto& g = image.grid;
  double peak = 0.0;
  for (std::size_t i = 0; i < image.size(); ++i) peak = std::max(peak, double(std::abs(image.data()[i])));
  std::printf("  shape            %zu depths x %zu columns\n", image.n_z(), image.n_x());
  std::printf("  depth            %.4g .. %.4g m, dz %.4g m\n", g.z0, image.n_z() ? g.depth_of_row(image.n_z() - 1) : g.z0,
              g.dz);
  std::printf("  x                %.4g .. %.4g m, dx %.4g m\n", g.x0,
              image.n_x() ? g.position_of_column(image.n_x() - 1) : g.x0, g.dx);
  const auto& v = image.velocity;
  if (v.is_constant())
    std::printf("  velocity         %.4f m/ns\n", v.velocities[0] * 1e-9);
  else
    std::printf("  velocity         %zu layers, %.4f .. %.4f m/ns\n", v.velocities.size(),
                *std::min_element(v.velocities.begin(), v.velocities.end()) * 1e-9,
                *std::max_element(v.velocities.begin(), v.velocities.end()) * 1e-9);
  std::printf("  amplitude        peak |a| %.4g\n", peak);
  print_history(image.history);
}

void print_summary(const BScan& b, bool dx_known = true) {
  const auto& m = b.metadata;
  double peak = 0.0, energy = 0.0;
  for (float v : b.samples()) {
    peak = std::max(peak, double(std::abs(v)));
    energy += double(v) * v;
  }
  std::printf("  shape            %zu samples x %zu traces\n", b.n_samples(), b.n_traces());
  std::printf("  dt               %.6g ns (time window %.4g ns, t0 %.4g ns)\n", m.dt * 1e9,
              m.dt * 1e9 * double(b.n_samples()), m.t0 * 1e9);
  if (dx_known)
    std::printf("  dx               %.6g m (x0 %.4g m, profile length %.4g m)\n", m.dx, m.x0,
                m.dx * double(b.n_traces() - 1));
  else
    std::printf("  dx               none in the file (time-triggered recording); pass --dx to process it\n");
  if (!b.marks.empty()) std::printf("  marks            %zu (first at trace %zu)\n", b.marks.size(), b.marks.front());
  if (!b.positions.empty()) std::printf("  positions        per trace (x, y, z), see the history's read step\n");
  std::printf("  antenna          offset %.4g m, height %.4g m, centre frequency %.4g MHz\n", m.antenna_offset,
              m.antenna_height, m.center_frequency * 1e-6);
  if (!m.component.empty()) std::printf("  component        %s\n", m.component.c_str());
  std::printf("  source           %s\n", m.source.c_str());
  std::printf("  amplitude        peak |a| %.4g, rms %.4g\n", peak, std::sqrt(energy / double(b.size())));
  print_history(b.history);
}
}  // namespace

// A field file: the whole header, then the B-scan; a file without trace
// spacing is shown too (dx is what processing needs, not inspection).
void print_vendor(const std::string& path, const std::string& dx_text) {
  const double dx = dx_text.empty() ? 0.0 : parse_quantity(dx_text, Quantity::length, "--dx");
  const VendorFile f = read_vendor(path, dx, /*require_dx=*/false);
  std::printf("%s: %s field file, %zu header entries\n", path.c_str(), f.format.c_str(), f.header.size());
  for (const auto& entry : f.header) {
    // Long text (a SEG-Y textual header) on one line, cut to stay readable.
    std::string value = entry.second;
    for (char& c : value)
      if (c == '\n' || c == '\r') c = ' ';
    if (value.size() > 160) value = value.substr(0, 157) + "...";
    std::printf("  %-24s %s\n", entry.first.c_str(), value.c_str());
  }
  if (!f.gps.empty()) std::printf("  gps fixes        %zu\n", f.gps.size());
  std::printf("B-scan\n");
  print_summary(f.bscan, f.dx_from != "none");
}

void register_info(CLI::App& app) {
  auto options = std::make_shared<InputOptions>();
  CLI::App* command =
      app.add_subcommand("info", "Show the groups of a file and a summary of a B-scan or migrated image");
  add_input_options(*command, *options);
  command->callback([options] {
    if (!is_hdf5_file(options->path) && !vendor_format_of(options->path).empty()) {
      print_vendor(options->path, options->dx_text);
      return;
    }
    if (is_hdf5_file(options->path)) {
      const auto groups = list_groups(options->path);
      std::printf("%s: %zu entr%s\n", options->path.c_str(), groups.size(), groups.size() == 1 ? "y" : "ies");
      for (const auto& g : groups)
        std::printf("  %-24s %-12s (%zu, %zu)\n", g.name.c_str(), g.kind.c_str(), g.rows, g.columns);
    }
    const bool several_ours = is_hdf5_file(options->path) && !is_gprmax_file(options->path) &&
                              options->group.empty() && list_groups(options->path).size() > 1;
    if (several_ours) {
      std::printf("(name a group with --group for its summary)\n");
      return;
    }
    if (is_hdf5_file(options->path) && !is_gprmax_file(options->path)) {
      // A named (or the only) group that holds a migrated image.
      for (const auto& g : list_groups(options->path)) {
        const bool chosen = options->group.empty() || g.name == options->group || g.name == "/" + options->group;
        if (chosen && g.kind == "depth_image") {
          std::printf("depth image %s\n", g.name.c_str());
          print_summary(read_image(options->path, g.name));
          return;
        }
      }
    }
    const BScan b = load_bscan(*options);
    std::printf("B-scan%s%s\n", options->group.empty() ? "" : " ", options->group.c_str());
    print_summary(b);
  });
}

}  // namespace gprproc::cli
