// Field-geometry steps on the CPU against truths: stacks of identical traces
// and of independent noise, decimation of band-limited and aliasing signals,
// a point diffractor recorded at a known uneven speed (its exact positions
// known) put back on a regular grid, a flat reflector under a known topography
// made flat, and planted clipped traces found exactly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/geometry.hpp"
#include "preprocessing_signals.hpp"
#include "throws_naming.hpp"

using namespace gprproc;
using gprproc_test::kPi;
using gprproc_test::ricker;
using gprproc_test::ricker_centre;
using gprproc_test::throws_naming;

namespace {

constexpr double kV = 1.0e8;       // m/s
constexpr double kF = 500e6;       // Hz, wavelet
constexpr double kDepth = 0.25;    // m, the diffractor
constexpr double kApex = 0.437;    // m, its position along the line (not on any grid)

BScanMetadata line_metadata(double dx = 0.01) {
  BScanMetadata m = gprproc_test::metadata(50e-12, 0.0);
  m.dx = dx;
  return m;
}

// The point diffractor's two-way time at distance x along the line.
double diffraction_time(double x) { return 2.0 * std::hypot(kDepth, x - kApex) / kV + 2e-9; }

// A B-scan whose trace j was recorded at distance d[j]: the exact diffraction.
BScan diffraction_at(const std::vector<double>& d, std::size_t ns = 400) {
  BScan b(ns, d.size(), line_metadata());
  for (std::size_t j = 0; j < d.size(); ++j)
    for (std::size_t i = 0; i < ns; ++i)
      b(i, j) = static_cast<float>(ricker(b.metadata.time_of_sample(i) - diffraction_time(d[j]), kF));
  return b;
}

// Least-squares apex of t(x)^2 = a (x - x_apex)^2 + c, a quadratic in x, from
// each trace's wavelet centre (traces within `half_aperture` m of the apex).
double fitted_apex(const BScan& b, const std::vector<double>& x, double half_aperture = 0.2) {
  double s[5] = {0, 0, 0, 0, 0}, r[3] = {0, 0, 0};
  for (std::size_t j = 0; j < b.n_traces(); ++j) {
    if (std::abs(x[j] - kApex) > half_aperture) continue;
    const double t = ricker_centre(b, j, kF) - 2e-9, y = t * t * 1e18, u = x[j] - kApex;
    double p = 1.0;
    for (int k = 0; k < 5; ++k, p *= u) s[k] += p;
    r[0] += y;
    r[1] += y * u;
    r[2] += y * u * u;
  }
  // Normal equations of y = c0 + c1 u + c2 u^2.
  double m[3][4] = {{s[0], s[1], s[2], r[0]}, {s[1], s[2], s[3], r[1]}, {s[2], s[3], s[4], r[2]}};
  for (int p = 0; p < 3; ++p)
    for (int q = p + 1; q < 3; ++q) {
      const double f = m[q][p] / m[p][p];
      for (int c = p; c < 4; ++c) m[q][c] -= f * m[p][c];
    }
  const double c2 = m[2][3] / m[2][2];
  const double c1 = (m[1][3] - m[1][2] * c2) / m[1][1];
  return kApex - c1 / (2.0 * c2);
}

std::vector<double> grid_positions(const BScan& b) {
  std::vector<double> x(b.n_traces());
  for (std::size_t j = 0; j < x.size(); ++j) x[j] = b.metadata.position_of_trace(j);
  return x;
}

// max |a - b| over the traces within `half_aperture` of the apex, relative to max |b|.
double relative_error(const BScan& a, const BScan& b, double half_aperture) {
  REQUIRE(a.n_samples() == b.n_samples());
  REQUIRE(a.n_traces() == b.n_traces());
  double err = 0.0, scale = 0.0;
  for (std::size_t j = 0; j < a.n_traces(); ++j) {
    if (std::abs(b.metadata.position_of_trace(j) - kApex) > half_aperture) continue;
    for (std::size_t i = 0; i < a.n_samples(); ++i) {
      err = std::max(err, std::abs(static_cast<double>(a(i, j)) - b(i, j)));
      scale = std::max(scale, std::abs(static_cast<double>(b(i, j))));
    }
  }
  return err / scale;
}

BScan noise(std::size_t ns, std::size_t nt, unsigned seed, double sigma = 1.0) {
  BScan b(ns, nt, line_metadata());
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, sigma);
  for (std::size_t k = 0; k < b.size(); ++k) b.data()[k] = static_cast<float>(g(rng));
  return b;
}

double standard_deviation(const BScan& b) {
  double s = 0.0, s2 = 0.0;
  for (float v : b.samples()) {
    s += v;
    s2 += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(b.size());
  return std::sqrt(s2 / n - (s / n) * (s / n));
}

}  // namespace

// ---------------------------------------------------------------- stacking

TEST_CASE("stacking N identical traces gives that trace exactly", "[geometry][stack]") {
  const std::size_t ns = 64;
  for (std::size_t n : {2u, 3u, 7u}) {
    INFO("N = " << n);
    BScan b(ns, 23, line_metadata());
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-1000.0f, 1000.0f);
    std::vector<float> trace(ns);
    for (float& v : trace) v = u(rng);
    for (std::size_t j = 0; j < b.n_traces(); ++j)
      for (std::size_t i = 0; i < ns; ++i) b(i, j) = trace[i];
    StackOptions o;
    o.traces = n;
    o.partial = PartialGroup::average;  // the partial last group is a mean of identical traces too
    const BScan s = stack_traces(b, o, Device::cpu);
    REQUIRE(s.n_traces() == (23 + n - 1) / n);
    for (std::size_t j = 0; j < s.n_traces(); ++j)
      for (std::size_t i = 0; i < ns; ++i) REQUIRE(s(i, j) == trace[i]);
  }
}

TEST_CASE("stacking traces of independent noise reduces the noise by sqrt(N)", "[geometry][stack]") {
  const BScan b = noise(256, 1024, 11);
  const double sigma = standard_deviation(b);
  for (std::size_t n : {4u, 16u}) {
    StackOptions o;
    o.traces = n;
    const double ratio = sigma / standard_deviation(stack_traces(b, o, Device::cpu));
    INFO("N = " << n << ": noise reduced " << ratio << " times");
    CHECK(ratio == Approx(std::sqrt(static_cast<double>(n))).epsilon(0.03));
  }
}

TEST_CASE("stacking: x0 at the first group's centre, dx * N, positions and marks follow, partial group counted",
          "[geometry][stack]") {
  BScan b(8, 10, line_metadata(0.02));
  b.metadata.x0 = 1.0;
  b.positions.resize(30);
  for (std::size_t j = 0; j < 10; ++j) {
    b.positions[3 * j] = 100.0 + 0.02 * j;
    b.positions[3 * j + 1] = 50.0;
    b.positions[3 * j + 2] = 3.0 + 0.1 * j;
  }
  b.marks = {0, 2, 5, 9};
  StackOptions o;
  o.traces = 4;
  const BScan dropped = stack_traces(b, o, Device::cpu);
  CHECK(dropped.n_traces() == 2);
  CHECK(dropped.metadata.dx == Approx(0.08));
  CHECK(dropped.metadata.x0 == Approx(1.0 + 1.5 * 0.02));
  CHECK(dropped.positions[0] == Approx(100.0 + 1.5 * 0.02));
  CHECK(dropped.positions[3 + 2] == Approx(3.0 + 0.1 * 5.5));
  CHECK(dropped.marks == std::vector<std::size_t>{0, 1});  // traces 0, 2 -> group 0; 5 -> 1; 9 was dropped
  REQUIRE(!dropped.history.empty());
  CHECK(dropped.history.back().operation == "stack_traces");
  CHECK(dropped.history.back().parameters_json.find("\"dropped_traces\": 2") != std::string::npos);

  o.partial = PartialGroup::average;
  const BScan kept = stack_traces(b, o, Device::cpu);
  CHECK(kept.n_traces() == 3);
  CHECK(kept.positions[6] == Approx(100.0 + 8.5 * 0.02));  // the true centre of traces 8 and 9
  CHECK(kept.marks == std::vector<std::size_t>{0, 1, 2});
  CHECK(kept.history.back().parameters_json.find("\"partial_group_traces\": 2") != std::string::npos);
}

// ---------------------------------------------------------------- decimation

TEST_CASE("decimation keeps a band-limited signal and removes the wave that would alias", "[geometry][decimate]") {
  const std::size_t ns = 32, nt = 241;
  for (std::size_t f : {3u, 4u}) {
    INFO("factor " << f);
    // Row 0: a slow wave along the line (period 40 f traces, far below the new
    // Nyquist); row 1: a wave of period f traces (the new sampling rate: it
    // would alias to a constant); row 2: their sum.
    BScan b(ns, nt, line_metadata());
    for (std::size_t j = 0; j < nt; ++j) {
      const double slow = std::cos(2 * kPi * j / (40.0 * f) + 0.3), fast = std::cos(2 * kPi * j / f + 0.7);
      b(0, j) = static_cast<float>(slow);
      b(1, j) = static_cast<float>(fast);
      b(2, j) = static_cast<float>(slow + fast);
    }
    DecimationOptions o;
    o.factor = f;
    o.anti_alias = false;
    const BScan plain = decimate_traces(b, o, Device::cpu);
    REQUIRE(plain.n_traces() == (nt - 1) / f + 1);
    for (std::size_t k = 0; k < plain.n_traces(); ++k)
      for (std::size_t i = 0; i < ns; ++i) REQUIRE(plain(i, k) == b(i, k * f));
    o.anti_alias = true;
    const BScan smooth = decimate_traces(b, o, Device::cpu);
    double slow_err = 0.0, fast_left = 0.0, aliased_plain = 0.0;
    for (std::size_t k = 1; k + 1 < smooth.n_traces(); ++k) {  // interior: the full window
      slow_err = std::max(slow_err, std::abs(static_cast<double>(smooth(0, k)) - b(0, k * f)));
      fast_left = std::max(fast_left, std::abs(static_cast<double>(smooth(1, k))));
      aliased_plain = std::max(aliased_plain, std::abs(static_cast<double>(plain(1, k))));
      CHECK(smooth(2, k) == Approx(smooth(0, k) + smooth(1, k)).margin(1e-6));  // linear
    }
    CHECK(slow_err < 0.01);
    CHECK(fast_left < 1e-6);
    CHECK(aliased_plain > 0.5);  // without the average it survives as a constant
  }
}

TEST_CASE("decimation geometry: x0 kept, dx * factor, positions of the kept traces, marks to the nearest",
          "[geometry][decimate]") {
  BScan b(4, 11, line_metadata(0.05));
  b.metadata.x0 = -2.0;
  b.positions.resize(33);
  for (std::size_t j = 0; j < 11; ++j) b.positions[3 * j] = 7.0 + 0.05 * j;
  b.marks = {1, 4, 5, 10};
  DecimationOptions o;
  o.factor = 3;
  const BScan d = decimate_traces(b, o, Device::cpu);
  REQUIRE(d.n_traces() == 4);
  CHECK(d.metadata.x0 == -2.0);
  CHECK(d.metadata.dx == Approx(0.15));
  for (std::size_t k = 0; k < 4; ++k) CHECK(d.positions[3 * k] == Approx(7.0 + 0.15 * k));  // centred windows
  CHECK(d.marks == std::vector<std::size_t>{0, 1, 2, 3});
}

// ---------------------------------------------------------------- distance normalisation

TEST_CASE("normalising positions recorded at a known uneven speed puts the apex back and matches the regular truth",
          "[geometry][distance]") {
  // Distance of trace j: L (u + c sin(pi u)), u = j / (n - 1): the operator
  // starts fast and slows down (the speed varies by +-31 %), the mean spacing
  // is 5 mm.
  const std::size_t n = 201;
  const double length = 1.0, c = 0.1;
  std::vector<double> d(n);
  for (std::size_t j = 0; j < n; ++j) {
    const double u = static_cast<double>(j) / (n - 1);
    d[j] = length * (u + c * std::sin(kPi * u));
  }
  BScan recorded = diffraction_at(d);
  // Along a straight line heading 30 degrees east of north from (500, 200).
  recorded.positions.resize(3 * n);
  for (std::size_t j = 0; j < n; ++j) {
    recorded.positions[3 * j] = 500.0 + d[j] * std::sin(kPi / 6);
    recorded.positions[3 * j + 1] = 200.0 + d[j] * std::cos(kPi / 6);
    recorded.positions[3 * j + 2] = 12.0;
  }
  recorded.metadata.dx = length / (n - 1);  // what a time-triggered recording would assume

  // The naive reading (regular spacing) misplaces the apex by several new traces.
  const double spacing = 0.01;
  const double naive = fitted_apex(recorded, grid_positions(recorded));
  INFO("apex assuming regular spacing: " << naive << " m (true " << kApex << ")");
  CHECK(std::abs(naive - kApex) > 2 * spacing);

  DistanceOptions o;
  o.spacing = spacing;
  const BScan regular = normalize_distance_by_positions(recorded, PathOptions{}, o, Device::cpu);
  CHECK(regular.metadata.dx == spacing);
  CHECK(regular.metadata.x0 == 0.0);
  REQUIRE(regular.n_traces() == 101);
  const double apex = fitted_apex(regular, grid_positions(regular));
  INFO("apex after normalisation: " << apex << " m");
  CHECK(std::abs(apex - kApex) < 0.25 * spacing);

  std::vector<double> truth_x(regular.n_traces());
  for (std::size_t k = 0; k < truth_x.size(); ++k) truth_x[k] = k * spacing;
  BScan truth = diffraction_at(truth_x);
  truth.metadata.dx = spacing;
  const double err = relative_error(regular, truth, 0.3);
  INFO("max error against the regularly sampled truth: " << err << " of the peak");
  CHECK(err < 0.05);
  // Positions follow: trace k lies k * spacing along the line.
  CHECK(regular.positions[3 * 50] == Approx(500.0 + 0.5 * std::sin(kPi / 6)).margin(1e-9));
  CHECK(regular.positions[3 * 50 + 1] == Approx(200.0 + 0.5 * std::cos(kPi / 6)).margin(1e-9));
  CHECK(regular.history.back().operation == "normalize_distance_by_positions");
}

TEST_CASE("normalising between marks at a piecewise-constant speed matches the regular truth", "[geometry][distance]") {
  // Six marks 0.2 m apart; 30, 50, 25, 45 and 40 traces between them.
  const std::vector<std::size_t> marks = {0, 30, 80, 105, 150, 190};
  const std::size_t n = 191;
  std::vector<double> d(n);
  for (std::size_t k = 0; k + 1 < marks.size(); ++k)
    for (std::size_t j = marks[k]; j <= marks[k + 1]; ++j)
      d[j] = 0.2 * (k + static_cast<double>(j - marks[k]) / (marks[k + 1] - marks[k]));
  BScan recorded = diffraction_at(d);
  recorded.marks = marks;
  MarkOptions m;
  m.mark_spacing = 0.2;
  CHECK(distances_from_marks(n, marks, m)[95] == Approx(d[95]));
  DistanceOptions o;
  o.spacing = 0.01;
  const BScan regular = normalize_distance_by_marks(recorded, m, o, Device::cpu);
  REQUIRE(regular.n_traces() == 101);
  CHECK(regular.marks == std::vector<std::size_t>{0, 20, 40, 60, 80, 100});  // every mark on its grid point
  CHECK(std::abs(fitted_apex(regular, grid_positions(regular)) - kApex) < 0.25 * o.spacing);
  std::vector<double> truth_x(101);
  for (std::size_t k = 0; k < truth_x.size(); ++k) truth_x[k] = k * 0.01;
  CHECK(relative_error(regular, diffraction_at(truth_x), 0.3) < 0.05);
}

TEST_CASE("normalising between marks: evenly spaced marks at the output spacing change nothing", "[geometry][distance]") {
  BScan b = noise(16, 61, 3);
  b.marks = {0, 20, 40, 60};
  MarkOptions m;
  m.mark_spacing = 0.2;
  m.first_mark_distance = 5.0;
  DistanceOptions o;
  o.spacing = 0.01;
  const BScan same = normalize_distance_by_marks(b, m, o, Device::cpu);
  REQUIRE(same.n_traces() == 61);
  CHECK(same.metadata.x0 == Approx(5.0));
  CHECK(same.samples() == b.samples());
}

TEST_CASE("normalising between marks: traces outside the marks are extrapolated or dropped", "[geometry][distance]") {
  BScan b = noise(4, 50, 4);
  b.marks = {10, 30};
  MarkOptions m;
  m.mark_spacing = 0.2;  // 1 cm per trace
  DistanceOptions o;
  o.spacing = 0.01;
  const BScan all = normalize_distance_by_marks(b, m, o, Device::cpu);
  CHECK(all.n_traces() == 50);
  CHECK(all.metadata.x0 == Approx(-0.10));
  CHECK(all.marks == std::vector<std::size_t>{10, 30});
  m.outside = OutsideMarks::drop;
  const BScan inside = normalize_distance_by_marks(b, m, o, Device::cpu);
  CHECK(inside.n_traces() == 21);
  CHECK(inside.metadata.x0 == Approx(0.0));
  CHECK(inside.history.back().parameters_json.find("\"unused_traces\": 29") != std::string::npos);
}

TEST_CASE("stationary stretches are stacked (or dropped) and the result matches the line without them",
          "[geometry][distance]") {
  // The diffraction at 5 mm steps, then the same line where the operator
  // stopped at three places (the trace repeated 4 more times each).
  std::vector<double> d, d_stopped;
  for (int j = 0; j <= 200; ++j) {
    d.push_back(0.005 * j);
    d_stopped.push_back(0.005 * j);
    if (j == 20 || j == 87 || j == 150)
      for (int r = 0; r < 4; ++r) d_stopped.push_back(0.005 * j);
  }
  BScan plain = diffraction_at(d), stopped = diffraction_at(d_stopped);
  plain.positions.assign(3 * d.size(), 0.0);
  stopped.positions.assign(3 * d_stopped.size(), 0.0);
  for (std::size_t j = 0; j < d.size(); ++j) plain.positions[3 * j] = d[j];
  for (std::size_t j = 0; j < d_stopped.size(); ++j) stopped.positions[3 * j] = d_stopped[j];
  // GPS-like jitter below the tolerance on the stationary traces.
  stopped.positions[3 * 22 + 1] = 0.0004;
  DistanceOptions o;
  o.spacing = 0.01;
  PathOptions p;
  p.stationary_tolerance = 0.001;
  const BScan expected = normalize_distance_by_positions(plain, p, o, Device::cpu);
  for (StationaryTraces s : {StationaryTraces::stack, StationaryTraces::drop}) {
    o.stationary = s;
    const BScan got = normalize_distance_by_positions(stopped, p, o, Device::cpu);
    REQUIRE(got.n_traces() == expected.n_traces());
    for (std::size_t k = 0; k < got.size(); ++k) REQUIRE(got.data()[k] == Approx(expected.data()[k]).margin(1e-6));
    const std::string record = got.history.back().parameters_json;
    INFO(record);
    CHECK(record.find(s == StationaryTraces::stack ? "\"merged_traces\": 12" : "\"merged_traces\": 0") !=
          std::string::npos);
  }
}

TEST_CASE("backwards motion is refused, naming the traces", "[geometry][distance][errors]") {
  BScan b = noise(4, 30, 6);
  b.positions.assign(90, 0.0);
  for (std::size_t j = 0; j < 30; ++j) b.positions[3 * j] = j < 20 ? 0.01 * j : 0.19 - 0.01 * (j - 19);
  DistanceOptions o;
  o.spacing = 0.01;
  throws_naming([&] { normalize_distance_by_positions(b, PathOptions{}, o, Device::cpu); }, "backwards between trace 19");
  std::vector<double> d(30);
  for (std::size_t j = 0; j < 30; ++j) d[j] = j < 20 ? 0.01 * j : 0.1;
  throws_naming([&] { normalize_distance(b, d, o, Device::cpu); }, "decreases from trace 19");
}

TEST_CASE("the distance along a curved path is its length; a gentle curve is not backwards motion",
          "[geometry][distance]") {
  // A quarter circle of radius 2 m walked in 400 steps.
  const std::size_t n = 401;
  std::vector<double> p(3 * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    const double a = 0.5 * kPi * j / (n - 1);
    p[3 * j] = 2.0 * std::sin(a);
    p[3 * j + 1] = 2.0 - 2.0 * std::cos(a);
    p[3 * j + 2] = 0.3 * j;  // elevation changes do not count
  }
  const std::vector<double> d = distances_along_path(p, n, 1.0);
  CHECK(d.front() == 1.0);
  CHECK(d.back() - d.front() == Approx(kPi).epsilon(1e-5));  // the arc, 2 * pi / 4 * 2 m
}

TEST_CASE("distance normalisation by given distances (a survey wheel)", "[geometry][distance]") {
  std::vector<double> d;
  for (int j = 0; j < 150; ++j) d.push_back(2.0 + 0.004 * j + 0.002 * std::sin(j * 0.3));
  for (std::size_t j = 1; j < d.size(); ++j) REQUIRE(d[j] > d[j - 1]);
  std::vector<double> relative(d);
  for (double& v : relative) v -= 2.0;
  DistanceOptions o;
  o.spacing = 0.01;
  // A diffraction defined on distances from the wheel's start.
  BScan b = diffraction_at(relative);
  const BScan r = normalize_distance(b, d, o, Device::cpu);
  CHECK(r.metadata.x0 == Approx(2.0));
  std::vector<double> x(r.n_traces());
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = 0.01 * k;
  CHECK(std::abs(fitted_apex(r, x) - kApex) < 0.25 * o.spacing);
}

TEST_CASE("along-line steps refuse bad input, naming the value", "[geometry][errors]") {
  BScan b = noise(4, 20, 1);
  StackOptions s;
  s.traces = 0;
  throws_naming([&] { stack_traces(b, s); }, "'traces' = 0");
  s.traces = 21;
  throws_naming([&] { stack_traces(b, s); }, "'traces' = 21");
  DecimationOptions f;
  f.factor = 0;
  throws_naming([&] { decimate_traces(b, f); }, "'factor' = 0");
  f.factor = 25;
  throws_naming([&] { decimate_traces(b, f); }, "1..20");

  MarkOptions m;
  m.mark_spacing = 1.0;
  DistanceOptions o;
  o.spacing = 0.1;
  b.marks = {5};
  throws_naming([&] { normalize_distance_by_marks(b, m, o); }, "at least 2");
  b.marks = {5, 3};
  throws_naming([&] { normalize_distance_by_marks(b, m, o); }, "mark 1 (trace 3)");
  b.marks = {2, 8};
  m.mark_spacing = 0.0;
  throws_naming([&] { normalize_distance_by_marks(b, m, o); }, "'mark_spacing' = 0");
  m.mark_spacing = 1.0;
  for (double bad : {0.0, -0.5, std::numeric_limits<double>::quiet_NaN()}) {
    o.spacing = bad;
    throws_naming([&] { normalize_distance_by_marks(b, m, o); }, "'spacing'");
  }
  o.spacing = 0.1;
  b.positions.assign(3 * 19, 0.0);  // one trace short
  throws_naming([&] { normalize_distance_by_positions(b, PathOptions{}, o); }, "n_traces x 3 = 60");
  b.positions.clear();
  throws_naming([&] { normalize_distance_by_positions(b, PathOptions{}, o); }, "no positions");
  throws_naming([&] { normalize_distance(b, std::vector<double>(19, 0.0), o); }, "19 distances given for 20");

  TraceMix bad_mix;
  bad_mix.offsets = {0, 1};
  bad_mix.index = {20};
  bad_mix.weight = {1.0};
  BScan out(4, 1, b.metadata);
  throws_naming([&] { apply_trace_mix(std::as_const(b).view(), bad_mix, out.view(), Device::cpu); }, "reads trace 20");
  BScan nan = noise(4, 20, 2);
  nan(2, 7) = std::numeric_limits<float>::quiet_NaN();
  s.traces = 2;
  throws_naming([&] { stack_traces(nan, s, Device::cpu); }, "trace 7");
}

// ---------------------------------------------------------------- saturation

namespace {
// Traces of Ricker pulses of varying amplitude digitised by a 16-bit
// converter: amplitudes beyond the range are clipped at -32768 / 32767.
BScan digitised(const std::vector<std::size_t>& clipped, std::size_t nt = 60) {
  BScan b(300, nt, line_metadata());
  std::mt19937 rng(9);
  std::normal_distribution<double> g(0.0, 30.0);
  for (std::size_t j = 0; j < nt; ++j) {
    const bool over = std::find(clipped.begin(), clipped.end(), j) != clipped.end();
    const double amplitude = over ? 60000.0 + 500.0 * j : 20000.0 + 150.0 * j;
    for (std::size_t i = 0; i < b.n_samples(); ++i) {
      double v = amplitude * ricker(b.metadata.time_of_sample(i) - 5e-9, kF) + g(rng);
      v = std::clamp(std::round(v), -32768.0, 32767.0);
      b(i, j) = static_cast<float>(v);
    }
  }
  return b;
}
}  // namespace

TEST_CASE("saturation detection finds exactly the clipped traces, limits inferred or given", "[geometry][saturation]") {
  const std::vector<std::size_t> planted = {3, 4, 17, 41, 59};
  const BScan b = digitised(planted);
  const std::vector<float> before = b.samples();
  const SaturationReport inferred = detect_saturation(b, SaturationOptions{}, Device::cpu);
  INFO(inferred.summary());
  CHECK(inferred.saturated_traces == planted);
  CHECK(inferred.high == 32767.0);
  CHECK(inferred.low == -32768.0);
  CHECK(inferred.high_inferred);
  CHECK(inferred.low_inferred);
  const SaturationReport given = detect_saturation(b, SaturationOptions::signed_integer(16), Device::cpu);
  CHECK(given.saturated_traces == planted);
  CHECK_FALSE(given.high_inferred);
  CHECK(b.samples() == before);  // never changes the data
  // A clipped trace's longest flat run is several samples; others have none.
  CHECK(inferred.longest_run[17] >= 3);
  CHECK(inferred.longest_run[18] == 0);
  CHECK(inferred.summary().find("5 of 60 traces") != std::string::npos);

  BScan record = b;
  CHECK(record_saturation(record, inferred));
  REQUIRE(record.history.size() == 1);
  CHECK(record.history[0].operation == "saturation_warning");
  CHECK(record.history[0].parameters_json.find("\"first_saturated_traces\": [3, 4, 17, 41, 59]") != std::string::npos);
  CHECK(record.samples() == before);
}

TEST_CASE("saturation: an unclipped record has no inferred limit; a dead record neither", "[geometry][saturation]") {
  const BScan clean = digitised({});
  const SaturationReport r = detect_saturation(clean, SaturationOptions{}, Device::cpu);
  INFO(r.summary());
  CHECK_FALSE(r.exceeded());
  CHECK(std::isinf(r.high));  // the maximum is a single peak sample, not a flat top
  CHECK(r.clipped_samples == 0);
  BScan none = clean;
  CHECK_FALSE(record_saturation(none, r));
  CHECK(none.history.empty());
  const BScan dead(100, 8, line_metadata());
  CHECK_FALSE(detect_saturation(dead, SaturationOptions{}, Device::cpu).exceeded());
}

TEST_CASE("saturation: tolerance, threshold and bad options", "[geometry][saturation][errors]") {
  // Clipping a little below full scale (an analogue stage): within 5 of the limit.
  BScan b = digitised({7, 8});
  for (std::size_t k = 0; k < b.size(); ++k)
    if (b.data()[k] >= 32767.0f) b.data()[k] = 32767.0f - static_cast<float>(k % 5);
  SaturationOptions o = SaturationOptions::signed_integer(16);
  const double exact_only = detect_saturation(b, o, Device::cpu).fraction[7];
  o.tolerance = 5.0;
  const SaturationReport near = detect_saturation(b, o, Device::cpu);
  CHECK(near.saturated_traces == std::vector<std::size_t>{7, 8});
  CHECK(exact_only < 0.5 * near.fraction[7]);  // only every fifth clipped sample sits at 32767 itself
  o.threshold = 0.99;
  CHECK(detect_saturation(b, o, Device::cpu).saturated_traces.empty());
  SaturationOptions bad;
  bad.threshold = 1.0;
  throws_naming([&] { detect_saturation(b, bad); }, "'threshold' = 1");
  bad = SaturationOptions{};
  bad.min_run = 1;
  throws_naming([&] { detect_saturation(b, bad); }, "'min_run' = 1");
  bad = SaturationOptions{};
  bad.low = 10.0;
  bad.high = -10.0;
  throws_naming([&] { detect_saturation(b, bad); }, "low = 10");
  throws_naming([] { SaturationOptions::signed_integer(40); }, "'bits' = 40");
}

// ---------------------------------------------------------------- topography

namespace {
constexpr double kReflector = 9.5;  // m, elevation of a flat reflector

std::vector<double> topography(std::size_t nt) {
  std::vector<double> z(nt);
  for (std::size_t j = 0; j < nt; ++j) z[j] = 10.0 + 0.3 * std::sin(2 * kPi * j / 80.0) + 0.002 * j;
  return z;
}

// A ground-coupled antenna over the topography: the reflector at
// 2 (z_j - kReflector) / v after time zero (the surface).
BScan over_topography(const std::vector<double>& z) {
  BScan b(600, z.size(), gprproc_test::metadata(50e-12, -2e-9));
  for (std::size_t j = 0; j < z.size(); ++j)
    for (std::size_t i = 0; i < b.n_samples(); ++i)
      b(i, j) = static_cast<float>(ricker(b.metadata.time_of_sample(i) - 2.0 * (z[j] - kReflector) / kV, kF));
  return b;
}
}  // namespace

TEST_CASE("the static correction makes a flat reflector under a known topography flat", "[geometry][topography]") {
  const std::vector<double> z = topography(120);
  BScan b = over_topography(z);
  b.positions.assign(3 * z.size(), 0.0);
  for (std::size_t j = 0; j < z.size(); ++j) b.positions[3 * j + 2] = z[j];
  const double highest = *std::max_element(z.begin(), z.end());
  // Before: the reflector follows the topography (+-6 ns).
  double spread = 0.0;
  for (std::size_t j = 0; j < z.size(); ++j)
    spread = std::max(spread, std::abs(ricker_centre(b, j, kF) - ricker_centre(b, 0, kF)));
  CHECK(spread > 50 * b.metadata.dt);

  TopographyOptions o;
  o.velocity = kV;
  const BScan c = correct_topography(b, o, {}, Device::cpu);  // elevations from positions
  const double expected = 2.0 * (highest - kReflector) / kV;
  CHECK(c.metadata.t0 == b.metadata.t0);
  const double max_delay = 2.0 * (highest - *std::min_element(z.begin(), z.end())) / kV;
  CHECK(c.n_samples() == b.n_samples() + static_cast<std::size_t>(std::ceil(max_delay / b.metadata.dt)));
  double worst = 0.0;
  for (std::size_t j = 0; j < z.size(); ++j) worst = std::max(worst, std::abs(ricker_centre(c, j, kF) - expected));
  INFO("worst misalignment " << worst / b.metadata.dt << " samples");
  CHECK(worst < 0.05 * b.metadata.dt);
  CHECK(c.history.back().operation == "correct_topography");
  CHECK(c.positions == b.positions);

  // A datum above the highest trace delays everything by a constant more.
  o.datum = highest + 0.05;
  const BScan up = correct_topography(b, o, z, Device::cpu);
  CHECK(ricker_centre(up, 60, kF) == Approx(expected + 2 * 0.05 / kV).margin(0.05 * b.metadata.dt));
}

TEST_CASE("the static correction refuses bad input, naming the value", "[geometry][topography][errors]") {
  std::vector<double> z = topography(10);
  const BScan b = over_topography(z);
  TopographyOptions o;
  o.velocity = kV;
  z[4] = std::numeric_limits<double>::quiet_NaN();
  throws_naming([&] { correct_topography(b, o, z); }, "elevations[4]");
  z[4] = 10.0;
  throws_naming([&] { correct_topography(b, o, std::vector<double>(9, 1.0)); }, "9 elevations given for 10");
  throws_naming([&] { correct_topography(b, o); }, "no elevations");
  o.velocity = 0.1;  // m/ns meant: 16 s delays
  throws_naming([&] { correct_topography(b, o, z); }, "implausible");
  o.velocity = 0.0;
  throws_naming([&] { correct_topography(b, o, z); }, "'velocity' = 0");
  o.velocity = 3e9;
  throws_naming([&] { correct_topography(b, o, z); }, "m/ns");
  o.velocity = kV;
  o.datum = 5.0;
  throws_naming([&] { correct_topography(b, o, z); }, "datum 5 m lies below");
  o.datum = std::numeric_limits<double>::quiet_NaN();
  o.interpolation_half_width = 40;
  throws_naming([&] { correct_topography(b, o, z); }, "interpolation_half_width");
}
