// Velocity analysis truths: the hyperbola fit recovers the velocity, apex and
// depth of exact synthetic travel times (common offset, antenna on and above
// the ground); the velocity scan peaks at the true velocity of synthetic
// diffractors; bad input throws, naming the problem.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/velocity.hpp"
#include "synthetic_bscan.hpp"
#include "throws_naming.hpp"

using namespace gprproc;
using namespace gprproc_test;

TEST_CASE("Hyperbola fit recovers velocity, apex and depth from exact travel times", "[velocity]") {
  const double cases[][2] = {{0.0, 0.0}, {0.04, 0.0}, {0.04, 0.03}, {0.0, 0.05}};
  for (const auto& c : cases) {
    SyntheticSurvey s;
    s.antenna_offset = c[0];
    s.antenna_height = c[1];
    const PointDiffractor d{0.52, 0.17, 1.0};
    std::vector<Pick> picks;
    for (std::size_t j = 30; j < 75; j += 3)
      picks.push_back({s.x0 + s.dx * static_cast<double>(j), diffraction_time(s, j, d)});
    const HyperbolaFit fit = fit_hyperbola(picks, s.antenna_offset, s.antenna_height);
    INFO("offset " << c[0] << ", height " << c[1] << ": v " << fit.velocity << " (true " << s.velocity() << "), apex "
                   << fit.apex_x << ", depth " << fit.apex_depth << ", rms " << fit.rms_residual);
    CHECK(fit.velocity == Approx(s.velocity()).epsilon(1e-4));
    CHECK(fit.apex_x == Approx(0.52).margin(1e-4));
    CHECK(fit.apex_depth == Approx(0.17).margin(1e-4));
    CHECK(fit.rms_residual < 1e-13);
    // The apex time is the synthetic's at x = 0.52 (trace 52).
    CHECK(fit.apex_time == Approx(diffraction_time(s, 52, d)).epsilon(1e-6));
  }
}

TEST_CASE("Hyperbola fit tolerates picking noise", "[velocity]") {
  SyntheticSurvey s;
  s.antenna_offset = 0.04;
  const PointDiffractor d{0.6, 0.25, 1.0};
  std::vector<Pick> picks;
  double sign = 1.0;
  for (std::size_t j = 30; j < 90; j += 2) {
    picks.push_back({s.x0 + s.dx * static_cast<double>(j), diffraction_time(s, j, d) + sign * 5e-12});  // +-5 ps
    sign = -sign;
  }
  const HyperbolaFit fit = fit_hyperbola(picks, s.antenna_offset);
  CHECK(fit.velocity == Approx(s.velocity()).epsilon(0.01));
  CHECK(fit.apex_x == Approx(0.6).margin(0.005));
}

TEST_CASE("Velocity scan peaks at the true velocity of synthetic diffractors", "[velocity]") {
  SyntheticSurvey s;
  s.antenna_offset = 0.04;
  const BScan b = make_point_diffractor_bscan(s, {{0.45, 0.20, 1.0}, {0.85, 0.33, 1.0}});
  std::vector<double> velocities;
  for (int i = 0; i < 15; ++i) velocities.push_back(0.08e9 + 0.006e9 * i);  // 0.08 .. 0.164 m/ns
  DepthAxis a;
  a.dz = 0.005;
  a.depth = 0.5;
  const VelocityScan scan = velocity_scan(b, velocities, a, {}, Device::cpu);
  REQUIRE(scan.focus.size() == velocities.size());
  INFO("best " << scan.best << " (true " << s.velocity() << ")");
  CHECK(scan.best == Approx(s.velocity()).epsilon(0.03));
  for (double f : scan.focus) CHECK((f >= 0.0 && f <= 1.0 + 1e-6));
}

TEST_CASE("Velocity tools reject bad input, naming it", "[velocity][errors]") {
  throws_naming([] { fit_hyperbola({{0.1, 1e-9}, {0.2, 2e-9}}); }, "3 or more");
  throws_naming([] { fit_hyperbola({{0.1, 1e-9}, {0.2, std::nan("")}, {0.3, 1e-9}}); }, "not finite");
  throws_naming([] { fit_hyperbola({{0.1, 1e-9}, {0.2, 2e-9}, {0.3, 1e-9}}, -0.1); }, "antenna_offset");
  SyntheticSurvey s;
  s.n_traces = 16;
  s.n_samples = 64;
  const BScan b = make_point_diffractor_bscan(s, {});
  DepthAxis a;
  a.dz = 0.01;
  a.depth = 0.1;
  throws_naming([&] { velocity_scan(b, {}, a, {}, Device::cpu); }, "at least one velocity");
  throws_naming([&] { velocity_scan(b, {1e8, -1.0}, a, {}, Device::cpu); }, "velocity 1");
  a.dz = 0.0;
  throws_naming([&] { velocity_scan(b, {1e8}, a, {}, Device::cpu); }, "dz");
}
