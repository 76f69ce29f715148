// 3-D migration truths: analytic 3-D point diffractors (tests/support/
// synthetic_cube.hpp, travel times by an independent Fermat search) must
// focus at their true (x, y, depth) within one cell, with the zero-phase
// wavelet's positive polarity; a diffractor between two lines focuses
// between them; a depth slice peaks on the diffractor; a diffractor on a
// line images symmetrically; tiled equals untiled bit for bit; bad input
// throws naming the value.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/migration_3d.hpp"
#include "synthetic_cube.hpp"
#include "throws_naming.hpp"

using namespace gprproc;
using namespace gprproc_test;

namespace {

DepthAxis axis() {
  DepthAxis a;
  a.dz = 0.005;
  a.depth = 0.32;
  return a;
}

// Diffractors: one at a trace on a line, one between two lines (y = 10.5 dy)
// and between two traces in x.
const std::vector<PointDiffractor3D> kPoints = {{0.30, 0.20, 0.15, 1.0}, {0.51, 0.21, 0.24, 1.0}};

struct Case {
  const char* name;
  double offset, height;
  bool two_layers;
};
const Case kCases[] = {{"zero offset, antenna on the ground", 0.0, 0.0, false},
                       {"common offset 6 cm, on the ground", 0.06, 0.0, false},
                       {"common offset 4 cm, antenna 4 cm up", 0.04, 0.04, false},
                       {"zero offset, two-layer ground", 0.0, 0.0, true},
                       {"common offset 4 cm, two-layer ground", 0.04, 0.0, true},
                       {"common offset 4 cm, antenna 3 cm up, two-layer ground", 0.04, 0.03, true}};

SyntheticCube survey(const Case& c) {
  SyntheticCube s;
  s.antenna_offset = c.offset;
  s.antenna_height = c.height;
  if (c.two_layers) {
    s.upper_layer_thickness = 0.1;
    s.upper_layer_permittivity = 5.0;  // 1.34e8 m/s over 1.0e8 m/s
  }
  return s;
}

// The cubes of kCases, made once (the Fermat searches are the slow part).
const Cube& case_cube(std::size_t k) {
  static std::vector<Cube> cubes = [] {
    std::vector<Cube> all;
    for (const auto& c : kCases) all.push_back(make_point_diffractor_cube(survey(c), kPoints));
    return all;
  }();
  return cubes.at(k);
}

VelocityModel model(const SyntheticCube& s) {
  if (s.upper_layer_thickness > 0.0)
    return VelocityModel::layered({0.0, s.upper_layer_thickness}, {s.upper_velocity(), s.velocity()});
  return VelocityModel::constant(s.velocity());
}

// Strongest pixel within 6 cm of each diffractor: within one cell of it in
// x, y and depth, and positive (the zero-phase Ricker's peak).
void check_focus(const DepthImage3D& img, const std::string& what,
                 const std::vector<PointDiffractor3D>& points = kPoints) {
  for (const auto& p : points) {
    const Focus3D f = strongest_near(img, p.x, p.y, p.depth, 0.06);
    INFO(what << ": diffractor (" << p.x << ", " << p.y << ", " << p.depth << ") focused at (" << f.x << ", " << f.y
              << ", " << f.depth << "), value " << f.value);
    CHECK(std::abs(f.x - p.x) <= img.grid.plane.dx + 1e-9);
    CHECK(std::abs(f.y - p.y) <= img.grid.dy + 1e-9);
    CHECK(std::abs(f.depth - p.depth) <= img.grid.plane.dz + 1e-9);
    CHECK(f.value > 0.0);
  }
}

}  // namespace

TEST_CASE("3-D Kirchhoff focuses analytic point diffractors at their true (x, y, depth)", "[migration][3d][kirchhoff]") {
  for (std::size_t k = 0; k < std::size(kCases); ++k) {
    const Case& c = kCases[k];
    const SyntheticCube s = survey(c);
    const Cube& cube = case_cube(k);
    const DepthImage3D img = migrate_kirchhoff_3d(cube, model(s), axis(), {}, Device::cpu);
    REQUIRE(img.n_lines() == s.n_lines);
    REQUIRE(img.n_x() == s.n_traces);
    REQUIRE(img.n_z() == 65);
    CHECK(img.grid.dy == s.dy);
    CHECK(img.grid.plane.dz == Approx(0.005));
    REQUIRE_FALSE(img.history.empty());
    CHECK(img.history.back().operation == "migrate");
    check_focus(img, std::string("3-D Kirchhoff, ") + c.name);
  }
}

TEST_CASE("3-D phase shift focuses analytic point diffractors at their true (x, y, depth)",
          "[migration][3d][phase_shift]") {
  for (std::size_t k = 0; k < std::size(kCases); ++k) {
    const Case& c = kCases[k];
    const SyntheticCube s = survey(c);
    const Cube& cube = case_cube(k);
    const DepthImage3D img = migrate_phase_shift_3d(cube, model(s), axis(), {}, Device::cpu);
    REQUIRE(img.n_lines() == s.n_lines);
    REQUIRE(img.n_x() == s.n_traces);
    check_focus(img, std::string("3-D phase shift, ") + c.name);
  }
}

TEST_CASE("3-D Kirchhoff and phase shift agree in amplitude at the focus (antenna on the ground)",
          "[migration][3d]") {
  // The Kirchhoff weights (dx dy cos / (2 pi u r), u = v / 2, with the time
  // derivative) against the exact f-k continuation: measured peak ratios
  // 0.99-1.02 on the ground (constant v, 6 cm offset); bound 0.85-1.15.
  // With the antenna lifted the two differ (the synthetic amplitudes ignore
  // the refracted rays' spreading, so neither is a truth there).
  for (std::size_t k : {std::size_t(0), std::size_t(1)}) {
    const SyntheticCube s = survey(kCases[k]);
    const DepthImage3D a = migrate_kirchhoff_3d(case_cube(k), model(s), axis(), {}, Device::cpu);
    const DepthImage3D b = migrate_phase_shift_3d(case_cube(k), model(s), axis(), {}, Device::cpu);
    for (const auto& p : kPoints) {
      const double ka = strongest_near(a, p.x, p.y, p.depth, 0.06).value;
      const double pb = strongest_near(b, p.x, p.y, p.depth, 0.06).value;
      INFO(kCases[k].name << ": Kirchhoff peak " << ka << ", phase shift peak " << pb);
      CHECK(ka / pb == Approx(1.0).margin(0.15));
    }
  }
}

TEST_CASE("3-D migration: a diffractor between two lines focuses between them, a depth slice peaks on it",
          "[migration][3d]") {
  // The second diffractor lies at y = 0.21 m, half-way between lines 10 and
  // 11 (and between traces 25 and 26 in x): the image at its depth is about
  // equally strong on both lines and weaker two lines away.
  const SyntheticCube s = survey(kCases[1]);
  const auto& p = kPoints[1];
  const DepthImage3D images[2] = {migrate_kirchhoff_3d(case_cube(1), model(s), axis(), {}, Device::cpu),
                                  migrate_phase_shift_3d(case_cube(1), model(s), axis(), {}, Device::cpu)};
  for (int m = 0; m < 2; ++m) {
    const DepthImage3D& img = images[m];
    const std::size_t row = static_cast<std::size_t>(std::lround((p.depth - img.grid.plane.z0) / img.grid.plane.dz));
    // The depth slice (C-scan) at the diffractor's depth: its strongest pixel.
    double best = -1.0;
    std::size_t best_line = 0, best_column = 0;
    for (std::size_t j = 0; j < img.n_lines(); ++j)
      for (std::size_t i = 0; i < img.n_x(); ++i)
        if (std::abs(img(j, row, i)) > best) {
          best = std::abs(img(j, row, i));
          best_line = j;
          best_column = i;
        }
    const double x = img.grid.plane.position_of_column(best_column), y = img.grid.position_of_line(best_line);
    auto peak_on_line = [&](std::size_t j) {
      double v = 0.0;
      for (std::size_t i = 0; i < img.n_x(); ++i) v = std::max(v, std::abs(static_cast<double>(img(j, row, i))));
      return v;
    };
    const double on10 = peak_on_line(10), on11 = peak_on_line(11), on8 = peak_on_line(8), on13 = peak_on_line(13);
    INFO((m ? "phase shift" : "Kirchhoff") << ": slice at " << p.depth << " m peaks at (" << x << ", " << y
                                            << "); line peaks 8: " << on8 << ", 10: " << on10 << ", 11: " << on11
                                            << ", 13: " << on13);
    CHECK(std::abs(x - p.x) <= s.dx + 1e-9);
    CHECK(std::abs(y - p.y) <= s.dy + 1e-9);
    CHECK(on10 / on11 == Approx(1.0).margin(0.1));
    CHECK(on8 < 0.7 * on10);
    CHECK(on13 < 0.7 * on11);
  }
}

TEST_CASE("3-D migration: a diffractor on a line images symmetrically about it", "[migration][3d]") {
  // One diffractor on line 10 (the middle of 21) and trace 20 (the middle of
  // 41), common offset 4 cm along x, antenna 3 cm up: the cube is symmetric
  // about line 10, so the image must be too. Kirchhoff sums the lines
  // j + l and j - l of one table entry together, so its mirror pixels are
  // equal bit for bit; phase shift to FFT rounding (measured 1e-7 of the
  // peak; bound 1e-5).
  SyntheticCube s;
  s.antenna_offset = 0.04;
  s.antenna_height = 0.03;
  const Cube cube = make_point_diffractor_cube(s, {{0.40, 0.20, 0.18, 1.0}});
  const auto v = VelocityModel::constant(s.velocity());
  const DepthImage3D k = migrate_kirchhoff_3d(cube, v, axis(), {}, Device::cpu);
  const DepthImage3D p = migrate_phase_shift_3d(cube, v, axis(), {}, Device::cpu);
  double k_diff = 0.0, p_diff = 0.0, p_peak = 0.0;
  for (std::size_t d = 1; d <= 10; ++d)
    for (std::size_t r = 0; r < k.n_z(); ++r)
      for (std::size_t i = 0; i < k.n_x(); ++i) {
        k_diff = std::max(k_diff, std::abs(static_cast<double>(k(10 + d, r, i)) - k(10 - d, r, i)));
        p_diff = std::max(p_diff, std::abs(static_cast<double>(p(10 + d, r, i)) - p(10 - d, r, i)));
        p_peak = std::max(p_peak, std::abs(static_cast<double>(p(10, r, i))));
      }
  INFO("largest mirror differences: Kirchhoff " << k_diff << ", phase shift " << p_diff << " (peak " << p_peak << ")");
  CHECK(k_diff == 0.0);
  CHECK(p_diff <= 1e-5 * p_peak);
  check_focus(k, "symmetric cube, Kirchhoff", {{0.40, 0.20, 0.18, 1.0}});
  check_focus(p, "symmetric cube, phase shift", {{0.40, 0.20, 0.18, 1.0}});
}

TEST_CASE("3-D Kirchhoff tiled equals untiled bit for bit", "[migration][3d][kirchhoff][tiles]") {
  const SyntheticCube s = survey(kCases[2]);  // lifted antenna, common offset
  const Cube& cube = case_cube(2);
  for (const bool antialias : {false, true}) {
    Kirchhoff3DOptions o;
    o.aperture = 0.1;  // radius: 5 cells, 4 with a non-zero weight (the taper is 0 at the edge)
    o.antialias = antialias;
    const Kirchhoff3DPlan whole(cube.metadata, s.n_lines, s.n_samples, s.n_traces, model(s), axis(), o, Device::cpu);
    REQUIRE(whole.tile_lines() == s.n_lines);
    REQUIRE(whole.tile_traces() == s.n_traces);
    CHECK(whole.halo_lines() == 4);
    CHECK(whole.halo_traces() == 4);
    const DepthImage3D reference = whole.execute(cube);
    // A budget of half the untiled buffers (blocks of 2 lines are chosen: a
    // ring of 2 + 2 x 4 lines of the 21), and explicit tiles in both directions.
    Kirchhoff3DOptions small = o;
    small.tile_memory = whole.tile_bytes() / 2.0;
    Kirchhoff3DOptions explicit_tiles = o;
    explicit_tiles.tile_lines = 4;
    explicit_tiles.tile_traces = 9;
    for (const auto& t : {small, explicit_tiles}) {
      const Kirchhoff3DPlan tiled(cube.metadata, s.n_lines, s.n_samples, s.n_traces, model(s), axis(), t,
                                  Device::cpu);
      const std::size_t tiles = ((s.n_lines + tiled.tile_lines() - 1) / tiled.tile_lines()) *
                                ((s.n_traces + tiled.tile_traces() - 1) / tiled.tile_traces());
      INFO("antialias " << antialias << ": tiles of " << tiled.tile_lines() << " lines x " << tiled.tile_traces()
                        << " traces (" << tiles << " tiles), buffers " << tiled.tile_bytes() << " bytes of a budget "
                        << t.tile_memory);
      CHECK(tiles >= 4);
      if (t.tile_lines == 0) CHECK(tiled.tile_bytes() <= t.tile_memory);
      CHECK(tiled.contributions() == whole.contributions());
      const DepthImage3D image = tiled.execute(cube);
      REQUIRE(image.size() == reference.size());
      std::size_t differing = 0;
      for (std::size_t i = 0; i < image.size(); ++i) differing += image.data()[i] != reference.data()[i];
      CHECK(differing == 0);
    }
  }
}

TEST_CASE("3-D Kirchhoff anti-aliasing keeps the focus", "[migration][3d][kirchhoff][antialias]") {
  const SyntheticCube s = survey(kCases[1]);
  Kirchhoff3DOptions o;
  o.antialias = true;
  const DepthImage3D img = migrate_kirchhoff_3d(case_cube(1), model(s), axis(), o, Device::cpu);
  check_focus(img, "3-D Kirchhoff with anti-aliasing");
}

TEST_CASE("3-D plans may be executed from several threads at once", "[migration][3d]") {
  // A small cube of two diffractors; each thread's images must equal the
  // single-threaded ones (the plans serialise their executes).
  SyntheticCube s;
  s.n_lines = 9;
  s.n_traces = 17;
  s.n_samples = 160;
  s.antenna_offset = 0.04;
  const Cube cube = make_point_diffractor_cube(s, {{0.16, 0.08, 0.1, 1.0}, {0.1, 0.1, 0.15, -0.5}});
  DepthAxis a = axis();
  a.depth = 0.2;
  Kirchhoff3DOptions o;
  o.aperture = 0.12;
  const Kirchhoff3DPlan k(cube.metadata, s.n_lines, s.n_samples, s.n_traces, model(s), a, o, Device::cpu);
  const PhaseShift3DPlan p(cube.metadata, s.n_lines, s.n_samples, s.n_traces, model(s), a, {}, Device::cpu);
  const DepthImage3D k_reference = k.execute(cube), p_reference = p.execute(cube);
  std::vector<DepthImage3D> k_images(3), p_images(3);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      k_images[t] = k.execute(cube);
      p_images[t] = p.execute(cube);
    });
  for (auto& t : threads) t.join();
  for (std::size_t t = 0; t < 3; ++t) {
    REQUIRE(k_images[t].size() == k_reference.size());
    REQUIRE(p_images[t].size() == p_reference.size());
    CHECK(std::equal(k_images[t].data(), k_images[t].data() + k_images[t].size(), k_reference.data()));
    CHECK(std::equal(p_images[t].data(), p_images[t].data() + p_images[t].size(), p_reference.data()));
  }
}

TEST_CASE("3-D migration: bad input is an error naming the value", "[migration][3d][errors]") {
  SyntheticCube s;
  s.n_lines = 4;
  s.n_samples = 256;  // a record that reaches the 0.32 m axis (plausibility)
  s.n_traces = 8;
  const Cube cube(s.n_lines, s.n_samples, s.n_traces, s.metadata());
  const auto v = VelocityModel::constant(1e8);
  CubeMetadata bad_dy = cube.metadata;
  bad_dy.dy = 0.0;
  throws_naming([&] { Kirchhoff3DPlan(bad_dy, 4, 256, 8, v, axis(), {}, Device::cpu); }, "dy");
  bad_dy.dy = -0.02;
  throws_naming([&] { PhaseShift3DPlan(bad_dy, 4, 256, 8, v, axis(), {}, Device::cpu); }, "-0.02");
  DepthAxis bad_axis = axis();
  bad_axis.dz = -0.005;
  throws_naming([&] { Kirchhoff3DPlan(cube.metadata, 4, 256, 8, v, bad_axis, {}, Device::cpu); }, "dz");
  bad_axis = axis();
  bad_axis.z0 = 0.5;  // below `depth`
  throws_naming([&] { PhaseShift3DPlan(cube.metadata, 4, 256, 8, v, bad_axis, {}, Device::cpu); }, "z0");
  Kirchhoff3DOptions bad_aperture;
  bad_aperture.aperture = -1.0;
  throws_naming([&] { Kirchhoff3DPlan(cube.metadata, 4, 256, 8, v, axis(), bad_aperture, Device::cpu); }, "aperture");
  PhaseShift3DOptions bad_padding;
  bad_padding.line_padding = 0.5;
  throws_naming([&] { PhaseShift3DPlan(cube.metadata, 4, 256, 8, v, axis(), bad_padding, Device::cpu); },
                "line_padding");
  throws_naming([&] { Kirchhoff3DPlan(cube.metadata, 0, 256, 8, v, axis(), {}, Device::cpu); }, "n_lines");
  // A whole-cube aperture over a huge survey: refused before the table is made.
  // (4 mm spacing, 4 m deep: an angle-limited radius of 11 m, some 4e9 entries.)
  DepthAxis deep = axis();
  deep.depth = 4.0;
  CubeMetadata fine = cube.metadata;
  fine.line.dx = fine.dy = 0.004;
  throws_naming([&] { Kirchhoff3DPlan(fine, 20000, 4096, 20000, v, deep, {}, Device::cpu); }, "aperture radius");

  const Kirchhoff3DPlan k(cube.metadata, 4, 256, 8, v, axis(), {}, Device::cpu);
  const PhaseShift3DPlan p(cube.metadata, 4, 256, 8, v, axis(), {}, Device::cpu);
  DepthImage3D image(4, k.n_z(), 8, k.grid(), v);
  // One B-scan (a 2-D view) where the plan wants a cube of 4 lines.
  const ConstBScanStackView one_line{cube.data(), 1, 256, 8, Memory::host};
  throws_naming([&] { k.execute(one_line, image.view()); }, "not a cube");
  throws_naming([&] { p.execute(one_line, image.view()); }, "(1, 256, 8)");
  // An image of the wrong shape.
  DepthImage3D wrong(4, k.n_z() + 1, 8, k.grid(), v);
  throws_naming([&] { k.execute(cube.view(), wrong.view()); }, "output image has shape (4, 66, 8)");
  throws_naming([&] { p.execute(cube.view(), wrong.view()); }, "(n_lines, n_z, n_x) = (4, 65, 8)");
  // A cube of another geometry.
  Cube other = cube;
  other.metadata.dy = 0.05;
  throws_naming([&] { (void)k.execute(other); }, "dy = 0.05");
  // In place.
  Cube same(4, 256, 8, s.metadata());
  const Cube& same_const = same;
  throws_naming([&] { k.execute(same_const.view(), BScanStackView{same.data(), 4, k.n_z(), 8, Memory::host}); }, "in place");
  // Non-finite samples.
  Cube nan_cube = cube;
  nan_cube(2, 5, 3) = std::nanf("");
  throws_naming([&] { (void)p.execute(nan_cube); }, "B-scan 2");
}

TEST_CASE("3-D phase shift of a cube constant along y is the 2-D phase shift of its line", "[migration][3d][phase_shift]") {
  // Every line the same B-scan, no padding along y: the cube's spectrum
  // lives at ky = 0 only, where the 3-D continuation is the 2-D one (the 2-D
  // plan's own code, detail::phase_shift_group, against the 3-D CPU's
  // vectorised image_column). Sizes with power-of-two paddings, so both pad
  // alike; a lifted antenna, a two-layer v(z). Measured 1.8e-7 of the peak; bound 1e-5.
  SyntheticCube s;
  s.n_lines = 6;
  s.n_samples = 256;
  s.n_traces = 64;
  s.antenna_height = 0.03;
  const Cube one = make_point_diffractor_cube(s, {{0.3, 0.0, 0.12, 1.0}, {0.5, 0.03, 0.2, -0.7}});
  Cube cube(s.n_lines, s.n_samples, s.n_traces, s.metadata());
  for (std::size_t j = 0; j < s.n_lines; ++j)
    std::copy(one.data(), one.data() + s.n_samples * s.n_traces, cube.data() + j * s.n_samples * s.n_traces);
  const auto v = VelocityModel::layered({0.0, 0.08}, {1.3e8, 1.0e8});
  DepthAxis a = axis();
  a.depth = 0.3;
  PhaseShift3DOptions o3;
  o3.line_padding = 1.0;
  const DepthImage3D image3 = migrate_phase_shift_3d(cube, v, a, o3, Device::cpu);
  const DepthImage image2 = migrate_phase_shift(one.line(0), v, a, {}, Device::cpu);
  double peak = 0.0, difference = 0.0;
  for (std::size_t j = 0; j < s.n_lines; ++j)
    for (std::size_t r = 0; r < image2.n_z(); ++r)
      for (std::size_t i = 0; i < image2.n_x(); ++i) {
        peak = std::max(peak, std::abs(static_cast<double>(image2(r, i))));
        difference = std::max(difference, std::abs(static_cast<double>(image3(j, r, i)) - image2(r, i)));
      }
  INFO("largest difference " << difference << " of a peak " << peak);
  CHECK(peak > 0.0);
  CHECK(difference <= 1e-5 * peak);
}

TEST_CASE("3-D Stolt focuses analytic point diffractors at their true (x, y, depth) (constant v)",
          "[migration][3d][stolt]") {
  for (std::size_t k = 0; k < 3; ++k) {  // the constant-velocity cases: on the ground, 6 cm offset, lifted
    const SyntheticCube s = survey(kCases[k]);
    const DepthImage3D img = migrate_stolt_3d(case_cube(k), s.velocity(), axis(), {}, Device::cpu);
    REQUIRE(img.n_lines() == s.n_lines);
    REQUIRE(img.n_z() == 65);
    check_focus(img, std::string("3-D Stolt, ") + kCases[k].name);
  }
}

TEST_CASE("3-D Stolt of a cube constant along y is the 2-D Stolt of its line", "[migration][3d][stolt]") {
  // As the phase-shift case: spectrum at ky = 0 only, where the 3-D mapping
  // (kh = |kx|) is the 2-D one. Measured 1e-7 of the peak; bound 1e-5.
  SyntheticCube s;
  s.n_lines = 6;
  s.n_samples = 256;
  s.n_traces = 64;
  s.antenna_height = 0.03;
  const Cube one = make_point_diffractor_cube(s, {{0.3, 0.0, 0.12, 1.0}, {0.5, 0.03, 0.2, -0.7}});
  Cube cube(s.n_lines, s.n_samples, s.n_traces, s.metadata());
  for (std::size_t j = 0; j < s.n_lines; ++j)
    std::copy(one.data(), one.data() + s.n_samples * s.n_traces, cube.data() + j * s.n_samples * s.n_traces);
  DepthAxis a = axis();
  a.depth = 0.3;
  Stolt3DOptions o3;
  o3.line_padding = 1.0;
  const DepthImage3D image3 = migrate_stolt_3d(cube, s.velocity(), a, o3, Device::cpu);
  const DepthImage image2 = migrate_stolt(one.line(0), s.velocity(), a, {}, Device::cpu);
  double peak = 0.0, difference = 0.0;
  for (std::size_t j = 0; j < s.n_lines; ++j)
    for (std::size_t r = 0; r < image2.n_z(); ++r)
      for (std::size_t i = 0; i < image2.n_x(); ++i) {
        peak = std::max(peak, std::abs(static_cast<double>(image2(r, i))));
        difference = std::max(difference, std::abs(static_cast<double>(image3(j, r, i)) - image2(r, i)));
      }
  INFO("largest difference " << difference << " of a peak " << peak);
  CHECK(peak > 0.0);
  CHECK(difference <= 1e-5 * peak);
}
