// gprproc info FILE: what a file holds, and a summary of each B-scan.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "gprproc/io.hpp"

namespace gprproc::cli {

namespace {
void print_summary(const BScan& b) {
  const auto& m = b.metadata;
  double peak = 0.0, energy = 0.0;
  for (float v : b.samples()) {
    peak = std::max(peak, double(std::abs(v)));
    energy += double(v) * v;
  }
  std::printf("  shape            %zu samples x %zu traces\n", b.n_samples(), b.n_traces());
  std::printf("  dt               %.6g ns (time window %.4g ns, t0 %.4g ns)\n", m.dt * 1e9,
              m.dt * 1e9 * double(b.n_samples()), m.t0 * 1e9);
  std::printf("  dx               %.6g m (x0 %.4g m, profile length %.4g m)\n", m.dx, m.x0,
              m.dx * double(b.n_traces() - 1));
  std::printf("  antenna          offset %.4g m, height %.4g m, centre frequency %.4g MHz\n", m.antenna_offset,
              m.antenna_height, m.center_frequency * 1e-6);
  if (!m.component.empty()) std::printf("  component        %s\n", m.component.c_str());
  std::printf("  source           %s\n", m.source.c_str());
  std::printf("  amplitude        peak |a| %.4g, rms %.4g\n", peak, std::sqrt(energy / double(b.size())));
  std::printf("  history          %zu step(s)\n", b.history.size());
  for (const auto& step : b.history)
    std::printf("    - %s %s (gprproc %s)\n", step.operation.c_str(), step.parameters_json.c_str(),
                step.library_version.c_str());
}
}  // namespace

void register_info(CLI::App& app) {
  auto options = std::make_shared<InputOptions>();
  CLI::App* command = app.add_subcommand("info", "Show the groups of a file and a summary of its B-scan");
  add_input_options(*command, *options);
  command->callback([options] {
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
    const BScan b = load_bscan(*options);
    std::printf("B-scan%s%s\n", options->group.empty() ? "" : " ", options->group.c_str());
    print_summary(b);
  });
}

}  // namespace gprproc::cli
