// Migration of real gprMax runs with known targets (../shared/data, MANIFEST.md):
//  - cylinder_Bscan_2D (PEC cylinder r 1 cm, centre 9 cm deep at x 0.12 m, eps_r 6,
//    antenna on the surface, offset 4 cm), after mean-trace background removal;
//  - pmn_dry_sand minus empty_ground (a plastic mine, top 5 cm deep, eps_r 4,
//    antenna 3 cm up, offset 4 cm), the mine's clutter-free response.
// The strongest focus of each migrated image must lie within 2 cm of the
// target's body (inside counts as 0). Time zero: gprMax's Ricker peaks
// sqrt(2) / f after sample 0, so t0 = -sqrt(2) / f.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/io.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/velocity.hpp"
#include "image_focus.hpp"
#include "test_data.hpp"

using namespace gprproc;
using namespace gprproc_test;

namespace {

constexpr double kRickerPeakDelay = 1.4142135623730951 / 1.5e9;  // s

double distance_to_box(double x, double z, double x_lo, double x_hi, double z_lo, double z_hi) {
  const double dx = std::max({x_lo - x, 0.0, x - x_hi});
  const double dz = std::max({z_lo - z, 0.0, z - z_hi});
  return std::hypot(dx, dz);
}

BScan without_mean_trace(const BScan& in) {
  BackgroundOptions o;
  o.method = BackgroundMethod::mean;
  return remove_background(in, o, Device::cpu);
}

BScan cylinder_bscan(const std::string& path) {
  BScan raw = read_gprmax(path);
  raw.metadata.x0 = 0.06;  // midpoint of trace 0 (MANIFEST.md)
  raw.metadata.dx = 0.002;
  raw.metadata.antenna_offset = 0.04;
  raw.metadata.antenna_height = 0.0;
  raw.metadata.t0 = -kRickerPeakDelay;
  return without_mean_trace(raw);
}

}  // namespace

TEST_CASE("gprMax cylinder_Bscan_2D: migration focuses on the PEC cylinder", "[migration][gprmax]") {
  const std::string path = shared_data_or_skip("gprmax/cylinder_Bscan_2D_v4_merged.h5");
  if (path.empty()) return;
  const BScan b = cylinder_bscan(path);
  const auto v = VelocityModel::constant(velocity_from_permittivity(6.0));
  DepthAxis axis;
  axis.dz = 0.002;
  axis.depth = 0.2;
  for (const auto method : {MigrationMethod::kirchhoff, MigrationMethod::stolt}) {
    const DepthImage img = migrate(b, method, v, axis, Device::cpu);
    const Focus f = strongest(img);
    // Distance from the focus to the cylinder's body (centre 0.12, 0.09; radius 0.01).
    const double d = std::max(0.0, std::hypot(f.x - 0.12, f.depth - 0.09) - 0.01);
    std::printf("cylinder_Bscan_2D, %s: strongest focus at x %.3f m, depth %.3f m; %.1f mm from the cylinder\n",
                to_string(method), f.x, f.depth, d * 1e3);
    INFO(to_string(method) << ": focus (" << f.x << ", " << f.depth << "), " << d << " m from the cylinder");
    CHECK(d <= 0.02);
  }
}

TEST_CASE("gprMax PMN mine in dry sand: migration focuses on the mine", "[migration][gprmax][landmine]") {
  const std::string with_path = shared_data_or_skip("landmines/pmn_dry_sand_merged.out");
  if (with_path.empty()) return;
  const std::string without_path = shared_data_or_skip("landmines/empty_ground_merged.out");
  GprMaxOptions read_options;
  read_options.dx = 0.01;
  BScan mine = read_gprmax(with_path, read_options);
  const BScan empty = read_gprmax(without_path, read_options);
  REQUIRE(mine.n_samples() == empty.n_samples());
  REQUIRE(mine.n_traces() == empty.n_traces());
  for (std::size_t i = 0; i < mine.size(); ++i) mine.data()[i] -= empty.data()[i];
  mine.metadata.x0 = 0.10;
  mine.metadata.dx = 0.01;
  mine.metadata.antenna_offset = 0.04;
  mine.metadata.antenna_height = 0.03;
  mine.metadata.t0 = -kRickerPeakDelay;
  const auto v = VelocityModel::constant(velocity_from_permittivity(4.0));
  DepthAxis axis;
  axis.dz = 0.002;
  axis.depth = 0.3;
  for (const auto method : {MigrationMethod::kirchhoff, MigrationMethod::stolt}) {
    const DepthImage img = migrate(mine, method, v, axis, Device::cpu);
    const Focus f = strongest(img);
    // Mine body (truth json): x 0.394 .. 0.506, depth 0.050 .. 0.106.
    const double d = distance_to_box(f.x, f.depth, 0.394, 0.506, 0.050, 0.106);
    // The top a deminer digs to: the shallowest row above the focus, in its
    // column, whose |value| reaches half the focus's.
    std::size_t top = f.row;
    while (top > 0 && std::abs(img(top - 1, f.column)) >= 0.5 * f.value) --top;
    std::printf("pmn_dry_sand, %s: strongest focus at x %.3f m, depth %.3f m (%.1f mm from the mine body); "
                "half-amplitude top at %.3f m (true top 0.050 m)\n",
                to_string(method), f.x, f.depth, d * 1e3, img.grid.depth_of_row(top));
    INFO(to_string(method) << ": focus (" << f.x << ", " << f.depth << "), " << d << " m from the mine body");
    CHECK(d <= 0.02);
  }
}

TEST_CASE("gprMax cylinder_Bscan_2D: velocity analysis finds the soil velocity", "[velocity][gprmax]") {
  const std::string path = shared_data_or_skip("gprmax/cylinder_Bscan_2D_v4_merged.h5");
  if (path.empty()) return;
  const BScan b = cylinder_bscan(path);
  const double truth = velocity_from_permittivity(6.0);
  // Picks on the raw data (the mean-trace removal distorts this narrow scan's
  // hyperbola): the echo's negative main lobe at the apex trace (32), then
  // followed trace by trace outwards within -10 .. +32 samples of the
  // neighbour's pick (arrivals grow later away from the apex).
  BScan raw = read_gprmax(path);
  raw.metadata = b.metadata;
  auto lowest = [&](std::size_t j, std::size_t lo, std::size_t hi) {
    std::size_t best = lo;
    for (std::size_t i = lo; i < std::min(hi, raw.n_samples()); ++i)
      if (raw(i, j) < raw(best, j)) best = i;
    return best;
  };
  const std::size_t apex_trace = 32;
  const std::size_t first = static_cast<std::size_t>((1.2e-9 - raw.metadata.t0) / raw.metadata.dt);
  const std::size_t last = static_cast<std::size_t>((2.5e-9 - raw.metadata.t0) / raw.metadata.dt);
  std::vector<std::size_t> pick_sample(raw.n_traces());
  pick_sample[apex_trace] = lowest(apex_trace, first, last);
  for (std::size_t j = apex_trace + 1; j < raw.n_traces(); ++j)
    pick_sample[j] = lowest(j, pick_sample[j - 1] - 10, pick_sample[j - 1] + 32);
  for (std::size_t j = apex_trace; j-- > 0;) pick_sample[j] = lowest(j, pick_sample[j + 1] - 10, pick_sample[j + 1] + 32);
  std::vector<Pick> picks;
  for (std::size_t j = 0; j < raw.n_traces(); ++j)
    picks.push_back({raw.metadata.position_of_trace(j), raw.metadata.time_of_sample(pick_sample[j])});
  const HyperbolaFit fit = fit_hyperbola(picks, b.metadata.antenna_offset, b.metadata.antenna_height, 0.01);
  std::printf("cylinder_Bscan_2D hyperbola fit: v %.4f m/ns (true %.4f, %+.1f%%), apex x %.3f m, depth %.3f m\n",
              fit.velocity * 1e-9, truth * 1e-9, 100.0 * (fit.velocity / truth - 1.0), fit.apex_x, fit.apex_depth);
  CHECK(fit.velocity == Approx(truth).epsilon(0.05));
  CHECK(fit.apex_x == Approx(0.12).margin(0.01));
  CHECK(fit.apex_depth == Approx(0.09).margin(0.02));

  std::vector<double> velocities;
  for (int i = 0; i < 29; ++i) velocities.push_back(0.08e9 + 0.005e9 * i);  // 0.08 .. 0.22 m/ns
  DepthAxis axis;
  axis.dz = 0.002;
  axis.z0 = 0.03;
  axis.depth = 0.15;
  const VelocityScan scan = velocity_scan(b, velocities, axis, {}, Device::cpu);
  std::printf("cylinder_Bscan_2D velocity scan: best %.4f m/ns (true %.4f, %+.1f%%)\n", scan.best * 1e-9,
              truth * 1e-9, 100.0 * (scan.best / truth - 1.0));
}
