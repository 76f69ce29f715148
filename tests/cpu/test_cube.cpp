// Cubes of parallel lines: construction and geometry checks, every cube
// operation equal to the line processed alone (bit for bit), the cube-wide
// mean against its formula, slices and 3-D detection against planted truths.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <functional>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gprproc/cube.hpp"
#include "gprproc/cube_operations.hpp"
#include "gprproc/detect_3d.hpp"
#include "gprproc/error.hpp"
#include "gprproc/slice.hpp"
#include "synthetic_bscan.hpp"
#include "throws_naming.hpp"

using namespace gprproc;
using gprproc_test::throws_naming;

namespace {

BScanMetadata line_metadata() {
  BScanMetadata m;
  m.dt = 0.025e-9;
  m.t0 = -0.5e-9;
  m.dx = 0.01;
  m.x0 = 0.1;
  m.antenna_offset = 0.04;
  m.antenna_height = 0.02;
  return m;
}

// Line k: point diffractors at x depending on k, a flat background shared by
// every line (plus a per-line offset), and seeded noise.
std::vector<BScan> make_lines(std::size_t n_lines, std::size_t n_samples = 200, std::size_t n_traces = 48) {
  std::vector<BScan> lines;
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.0f, 0.01f);
  for (std::size_t k = 0; k < n_lines; ++k) {
    BScan b(n_samples, n_traces, line_metadata());
    for (std::size_t i = 0; i < n_samples; ++i) {
      const float flat = std::sin(0.21f * float(i)) * std::exp(-0.02f * float(i)) + 0.1f * float(k);
      for (std::size_t j = 0; j < n_traces; ++j) {
        const double x = double(j) - 12.0 - 3.0 * double(k);
        const double apex = 60.0 + 0.03 * x * x;
        const double u = (double(i) - std::sqrt(apex * apex + 40.0 * x * x)) / 3.0;
        b(i, j) = flat + float((1 - 2 * u * u) * std::exp(-u * u)) + noise(rng);
      }
    }
    append_history(b.history, "made_by_test", HistoryParameters{});
    lines.push_back(std::move(b));
  }
  return lines;
}

bool bitwise_equal(const float* a, const float* b, std::size_t n) { return std::memcmp(a, b, n * sizeof(float)) == 0; }

}  // namespace

TEST_CASE("Cube::from_lines keeps the samples, metadata and history, and names the line that differs", "[cube]") {
  std::vector<BScan> lines = make_lines(3);
  const Cube cube = Cube::from_lines(lines, 0.05, 0.2);
  REQUIRE(cube.n_lines() == 3);
  CHECK(cube.n_samples() == 200);
  CHECK(cube.n_traces() == 48);
  CHECK(cube.metadata.dy == 0.05);
  CHECK(cube.metadata.position_of_line(2) == Approx(0.3));
  CHECK(cube.metadata.line.antenna_offset == 0.04);
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(bitwise_equal(cube.line_view(j).samples, lines[j].data(), lines[j].size()));
    const BScan line = cube.line(j);
    CHECK(bitwise_equal(line.data(), lines[j].data(), lines[j].size()));
    CHECK(line.metadata.dt == lines[j].metadata.dt);
  }
  REQUIRE(cube.history.size() == 2);
  CHECK(cube.history.back().operation == "cube_from_lines");
  // A line view is the cube's memory (zero copy).
  CHECK(cube.line_view(1).samples == cube.data() + 200 * 48);

  std::vector<BScan> odd = make_lines(3);
  odd[2].metadata.dt *= 2;
  throws_naming([&] { Cube::from_lines(odd, 0.05); }, "line 2");
  throws_naming([&] { Cube::from_lines(odd, 0.05); }, "dt");
  std::vector<BScan> shaped = make_lines(2);
  shaped.push_back(BScan(199, 48, line_metadata()));
  throws_naming([&] { Cube::from_lines(shaped, 0.05); }, "shape");
  std::vector<BScan> shifted = make_lines(2);
  shifted[1].metadata.x0 += 0.005;
  throws_naming([&] { Cube::from_lines(shifted, 0.05); }, "x0");
  throws_naming([&] { Cube::from_lines(make_lines(2), 0.0); }, "dy");
  throws_naming([&] { Cube::from_lines(make_lines(2), -0.05); }, "dy");
  throws_naming([&] { Cube::from_lines({}, 0.05); }, "at least one line");
  throws_naming([&] { (void)cube.line(3); }, "line 3");
  throws_naming([&] { Cube(std::vector<float>(10), 2, 2, 2, CubeMetadata{}); }, "needs 8 samples");
}

TEST_CASE("every cube operation equals each line processed alone, bit for bit", "[cube]") {
  const std::vector<BScan> lines = make_lines(3);
  const Cube cube = Cube::from_lines(lines, 0.05);
  auto check_lines = [&](const Cube& result, const std::function<BScan(const BScan&)>& alone, const char* what) {
    INFO(what);
    REQUIRE(result.n_lines() == cube.n_lines());
    for (std::size_t j = 0; j < cube.n_lines(); ++j) {
      const BScan expected = alone(cube.line(j));
      REQUIRE(result.n_samples() == expected.n_samples());
      CHECK(bitwise_equal(result.line_view(j).samples, expected.data(), expected.size()));
      CHECK(result.metadata.line.t0 == expected.metadata.t0);
      CHECK(result.history.back().operation == expected.history.back().operation);
    }
  };
  const Device cpu = Device::cpu;
  check_lines(remove_dc(cube, TimeWindow::whole_trace(), cpu),
              [&](const BScan& b) { return remove_dc(b, TimeWindow::whole_trace(), cpu); }, "remove_dc");
  check_lines(dewow(cube, 1e-9, cpu), [&](const BScan& b) { return dewow(b, 1e-9, cpu); }, "dewow");
  BandpassOptions band;
  band.low = 0.3e9;
  band.high = 2e9;
  band.low_taper = 0.2e9;
  band.high_taper = 0.5e9;
  check_lines(bandpass(cube, band, cpu), [&](const BScan& b) { return bandpass(b, band, cpu); }, "bandpass");
  check_lines(envelope(cube, cpu), [&](const BScan& b) { return envelope(b, cpu); }, "envelope");
  check_lines(correct_time_zero(cube, TimeZeroOptions{}, cpu),
              [&](const BScan& b) { return correct_time_zero(b, TimeZeroOptions{}, cpu); }, "correct_time_zero");
  check_lines(shift_time_zero(cube, 0.4e-9, 8, cpu), [&](const BScan& b) { return shift_time_zero(b, 0.4e-9, 8, cpu); },
              "shift_time_zero");
  TimeGain gain;
  gain.power = 1.0;
  gain.reference_time = 1e-9;
  check_lines(time_gain(cube, gain, cpu), [&](const BScan& b) { return time_gain(b, gain, cpu); }, "time_gain");
  AgcOptions a;
  a.window = 1e-9;
  check_lines(agc(cube, a, cpu), [&](const BScan& b) { return agc(b, a, cpu); }, "agc");
  for (BackgroundMethod method : {BackgroundMethod::mean, BackgroundMethod::moving_median, BackgroundMethod::svd}) {
    BackgroundOptions o;
    o.method = method;
    o.window_traces = 11;
    o.automatic_rank = method == BackgroundMethod::svd;
    check_lines(remove_background(cube, o, cpu), [&](const BScan& b) { return remove_background(b, o, cpu); },
                to_string(method));
  }
  const DepthAxis axis{2e-3, 0.2, 0.0};
  const DepthImage3D image = migrate_lines(cube, MigrationMethod::kirchhoff, VelocityModel::constant(1.2e8), axis, cpu);
  REQUIRE(image.n_lines() == 3);
  CHECK(image.grid.dy == 0.05);
  for (std::size_t j = 0; j < 3; ++j) {
    const DepthImage alone = migrate(cube.line(j), MigrationMethod::kirchhoff, VelocityModel::constant(1.2e8), axis, cpu);
    REQUIRE(image.n_z() == alone.n_z());
    CHECK(bitwise_equal(image.data() + j * image.n_z() * image.n_x(), alone.data(), alone.size()));
  }
}

TEST_CASE("a data-dependent history records every line's own parameters", "[cube]") {
  const Cube cube = Cube::from_lines(make_lines(3), 0.05);
  // The same step on every line: recorded once, as a line would record it.
  const Cube same = map_lines(cube, "test_step", [](const BScan& b) {
    BScan out = b;
    append_history(out.history, "test_step", HistoryParameters().add("k", 1.5));
    return out;
  });
  REQUIRE(same.history.size() == cube.history.size() + 1);
  CHECK(same.history.back().parameters_json == "{\"k\": 1.5}");
  // A value that depends on the line's data (here its first sample's sign):
  // every line's parameters, in line order, under "lines".
  std::size_t calls = 0;
  const Cube varied = map_lines(cube, "test_step", [&](const BScan& b) {
    BScan out = b;
    append_history(out.history, "test_step", HistoryParameters().add("line", calls++));
    return out;
  });
  REQUIRE(varied.history.size() == cube.history.size() + 1);
  CHECK(varied.history.back().operation == "test_step");
  CHECK(varied.history.back().parameters_json == "{\"lines\": [{\"line\": 0}, {\"line\": 1}, {\"line\": 2}]}");
  // An operation that changes one line's geometry cannot make a cube.
  std::size_t n = 0;
  throws_naming([&] {
    map_lines(cube, "uneven", [&](const BScan& b) {
      BScan out = b;
      if (n++ == 1) out.metadata.t0 += 1e-9;
      return out;
    });
  }, "line 1");
}

TEST_CASE("the cube-wide mean trace removes the mean over every trace of every line", "[cube]") {
  const Cube cube = Cube::from_lines(make_lines(3), 0.05);
  BackgroundOptions o;
  o.method = BackgroundMethod::mean;
  const Cube out = remove_background(cube, o, Device::cpu, BackgroundScope::cube);
  REQUIRE(out.n_lines() == 3);
  for (std::size_t i = 0; i < cube.n_samples(); ++i) {
    double mean = 0.0;  // the formula, in long double-free plain double
    for (std::size_t l = 0; l < 3; ++l)
      for (std::size_t t = 0; t < cube.n_traces(); ++t) mean += cube(l, i, t);
    mean /= 3.0 * double(cube.n_traces());
    double residual = 0.0;
    for (std::size_t l = 0; l < 3; ++l)
      for (std::size_t t = 0; t < cube.n_traces(); ++t) {
        CHECK(out(l, i, t) == Approx(cube(l, i, t) - mean).margin(1e-5));
        residual += out(l, i, t);
      }
    CHECK(std::abs(residual) < 1e-3);
  }
  // Unlike the line-wise mean, the per-line offsets 0.1 k survive.
  double line_2 = 0.0, line_0 = 0.0;
  for (std::size_t t = 0; t < cube.n_traces(); ++t) line_2 += out(2, 5, t), line_0 += out(0, 5, t);
  CHECK((line_2 - line_0) / double(cube.n_traces()) == Approx(0.2).margin(0.01));
  CHECK(out.history.back().parameters_json.find("\"scope\": \"cube\"") != std::string::npos);
  o.method = BackgroundMethod::svd;
  throws_naming([&] { remove_background(cube, o, Device::cpu, BackgroundScope::cube); }, "mean trace only");
  Cube bad = cube;
  bad(1, 3, 4) = std::nanf("");
  o.method = BackgroundMethod::mean;
  throws_naming([&] { remove_background(bad, o, Device::cpu, BackgroundScope::cube); }, "B-scan 1");
}

namespace {
// A 3-D image holding a focused Ricker blob (in depth) at each point, Gaussian across.
DepthImage3D blob_image(const std::vector<std::array<double, 3>>& points, double noise_sigma = 0.0) {
  ImageGrid3D grid;
  grid.plane = ImageGrid{2e-3, 0.0, 0.01, 0.0};
  grid.dy = 0.02;
  grid.y0 = 0.0;
  DepthImage3D image(16, 100, 40, grid, VelocityModel::constant(1e8));
  std::mt19937 rng(9);
  std::normal_distribution<float> noise(0.0f, float(noise_sigma));
  for (std::size_t l = 0; l < image.n_lines(); ++l)
    for (std::size_t i = 0; i < image.n_z(); ++i)
      for (std::size_t j = 0; j < image.n_x(); ++j) {
        double v = 0.0;
        for (const auto& p : points) {
          const double dx = grid.plane.position_of_column(j) - p[0], dy = grid.position_of_line(l) - p[1];
          const double u = (grid.plane.depth_of_row(i) - p[2]) / 0.006;
          v += std::exp(-(dx * dx + dy * dy) / (2 * 0.015 * 0.015)) * (1 - 2 * u * u) * std::exp(-u * u);
        }
        image(l, i, j) = float(v) + (noise_sigma > 0 ? noise(rng) : 0.0f);
      }
  return image;
}
}  // namespace

TEST_CASE("a depth slice at a target's depth peaks on it; slices outside the image are errors", "[cube][slice]") {
  const DepthImage3D image = blob_image({{0.21, 0.14, 0.08}});
  for (double thickness : {0.0, 0.01}) {
    const CScan c = depth_slice(image, 0.08, thickness, Device::cpu);
    REQUIRE(c.n_lines == 16);
    REQUIRE(c.n_traces == 40);
    std::size_t best = 0;
    for (std::size_t k = 1; k < c.values.size(); ++k)
      if (c.values[k] > c.values[best]) best = k;
    CHECK(c.y0 + c.dy * double(best / c.n_traces) == Approx(0.14).margin(1e-9));
    CHECK(c.x0 + c.dx * double(best % c.n_traces) == Approx(0.21).margin(1e-9));
    CHECK(c.measure == (thickness > 0 ? "rms" : "envelope"));
  }
  // The envelope at the blob's centre is its amplitude (1 for the Ricker peak).
  CHECK(depth_slice(image, 0.08, 0.0, Device::cpu)(7, 21) == Approx(1.0).margin(0.03));
  throws_naming([&] { depth_slice(image, 0.5, 0.0, Device::cpu); }, "outside the depth axis");
  throws_naming([&] { depth_slice(image, -0.01, 0.0, Device::cpu); }, "0 .. 0.198 m");
  throws_naming([&] { depth_slice(image, 0.195, 0.02, Device::cpu); }, "window bottom");
  throws_naming([&] { depth_slice(image, 0.1, -1.0, Device::cpu); }, "thickness");
}

TEST_CASE("a time slice's RMS window of a sine is its amplitude over sqrt 2", "[cube][slice]") {
  BScanMetadata m = line_metadata();
  m.t0 = 0.0;
  Cube cube(2, 400, 5, CubeMetadata{m, 0.1, 0.0});
  const double f = 1e9;
  for (std::size_t l = 0; l < 2; ++l)
    for (std::size_t i = 0; i < 400; ++i)
      for (std::size_t t = 0; t < 5; ++t)
        cube(l, i, t) = float((1.0 + double(t)) * std::sin(2 * 3.14159265358979323846 * f * m.time_of_sample(i)));
  // 4 ns window = 4 periods, 161 samples: the RMS of a sampled sine to ~1 %.
  const CScan c = time_slice(cube, 5e-9, 4e-9, Device::cpu);
  for (std::size_t t = 0; t < 5; ++t) CHECK(c(1, t) == Approx((1.0 + double(t)) / std::sqrt(2.0)).epsilon(0.01));
  CHECK(c.axis == "time");
  throws_naming([&] { time_slice(cube, 20e-9, 0.0, Device::cpu); }, "time");
}

TEST_CASE("3-D detection finds planted targets within one cell, one between lines, and nothing in noise",
          "[cube][detect]") {
  // (x, y, depth): the second lies between lines 9 and 10 (y 0.19 with dy 0.02: on line 9.5).
  const DepthImage3D image = blob_image({{0.12, 0.06, 0.05}, {0.28, 0.19, 0.12}}, 0.01);
  DetectOptions o;
  o.min_separation = 0.05;
  const Detection3D d = detect(image, o, Device::cpu);
  REQUIRE(d.targets.size() >= 2);
  auto near = [&](double x, double y, double z) {
    for (const Target3D& t : d.targets)
      if (std::abs(t.x - x) <= 0.01 + 1e-9 && std::abs(t.y - y) <= 0.02 + 1e-9 && std::abs(t.depth - z) <= 0.002 + 1e-9)
        return true;
    return false;
  };
  CHECK(near(0.12, 0.06, 0.05));
  CHECK(near(0.28, 0.19, 0.12));
  CHECK(d.targets.size() == 2);
  // Pure noise: nothing reaches 8 sigma.
  const DepthImage3D empty = blob_image({}, 0.01);
  CHECK(detect(empty, o, Device::cpu).targets.empty());
  DetectOptions narrow = o;
  narrow.min_depth = 0.5;
  throws_naming([&] { detect(image, narrow, Device::cpu); }, "search window");
}
