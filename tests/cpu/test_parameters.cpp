// Parameters are checked, clearly, before they size anything; implausible
// numbers are refused naming the unit slip; histories record what was used;
// no exception leaves an OpenMP region; plans shared by threads give the
// serial images bit for bit (issue 20).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/plausibility.hpp"
#include "gprproc/velocity.hpp"
#include "parallel_errors.hpp"  // src/
#include "throws_naming.hpp"

using namespace gprproc;
using gprproc_test::throws_naming;

namespace {

BScanMetadata geometry(double dt = 1e-10, double dx = 0.01) {
  BScanMetadata m;
  m.dt = dt;
  m.dx = dx;
  return m;
}

BScan noise(std::size_t n_samples, std::size_t n_traces, unsigned seed = 1, BScanMetadata m = geometry()) {
  BScan b(n_samples, n_traces, m);
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  for (std::size_t k = 0; k < b.size(); ++k) b.data()[k] = gauss(rng);
  return b;
}

BackgroundOptions moving(BackgroundMethod method, std::size_t window) {
  BackgroundOptions o;
  o.method = method;
  o.window_traces = window;
  return o;
}

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

DepthAxis depth_axis(double dz, double depth) {
  DepthAxis a;
  a.dz = dz;
  a.depth = depth;
  return a;
}

}  // namespace

// ---- sized parameters -------------------------------------------------------

TEST_CASE("a moving window wider than the B-scan is refused before anything is sized", "[parameters][background]") {
  // 2^31 + 1 traces once aborted the process (std::bad_alloc out of an OpenMP
  // region) and was accepted silently elsewhere.
  const BScan b = noise(256, 64);
  for (const auto method : {BackgroundMethod::moving_mean, BackgroundMethod::moving_median})
    for (const std::size_t window : {std::size_t{65}, std::size_t{101}, (std::size_t{1} << 31) + 1}) {
      const std::string text = message_of([&] { remove_background(b, moving(method, window), Device::cpu); });
      INFO(text);
      CHECK_THAT(text, Catch::Contains("window_traces") && Catch::Contains(std::to_string(window)) &&
                           Catch::Contains("64 traces"));
    }
  // The stack level checks against each B-scan's traces.
  std::vector<float> stack(3 * 16 * 9, 1.0f);
  const ConstBScanStackView in{stack.data(), 3, 16, 9, Memory::host};
  const BScanStackView out{stack.data(), 3, 16, 9, Memory::host};
  throws_naming([&] { remove_background(in, geometry(), moving(BackgroundMethod::moving_median, 11), out, Device::cpu); },
                "window_traces");
}

TEST_CASE("a moving window as wide as the B-scan removes the mean trace at its centre", "[parameters][background]") {
  const BScan b = noise(8, 63, 2);
  const BScan out = remove_background(b, moving(BackgroundMethod::moving_mean, 63), Device::cpu);
  for (std::size_t i = 0; i < 8; ++i) {
    double mean = 0.0;
    for (std::size_t j = 0; j < 63; ++j) mean += b(i, j);
    mean /= 63.0;
    CHECK(out(i, 31) == Approx(b(i, 31) - mean).margin(1e-5));  // the centre trace's window is every trace
  }
}

TEST_CASE("an automatic rank limit above the bound does not overflow", "[parameters][background]") {
  // max_automatic_rank is a limit: SIZE_MAX must act as "any rank" (it once
  // overflowed a signed index when one was added to it).
  const BScan b = noise(40, 12, 3);
  BackgroundOptions o;
  o.method = BackgroundMethod::svd;
  o.automatic_rank = true;
  o.max_automatic_rank = 11;  // min(40, 12) - 1: every rank the rule can choose
  const BScan bounded = remove_background(b, o, Device::cpu);
  o.max_automatic_rank = std::numeric_limits<std::size_t>::max();
  const BScan unbounded = remove_background(b, o, Device::cpu);
  CHECK(unbounded.samples() == bounded.samples());
}

TEST_CASE("robust PCA records the lambda it used and states its iteration limit", "[parameters][background]") {
  const BScan b = noise(48, 20, 4);
  BackgroundOptions o;
  o.method = BackgroundMethod::rpca;
  o.rpca.max_iterations = 5;
  const BScan out = remove_background(b, o, Device::cpu);
  const double used = 1.0 / std::sqrt(48.0);
  CHECK_THAT(out.history.back().parameters_json, Catch::Contains("\"lambda\": " + [&] {
               char text[32];
               std::snprintf(text, sizeof text, "%.17g", used);
               return std::string(text);
             }()));
  const RobustPcaResult parts = robust_pca(b, o.rpca, Device::cpu);
  CHECK(parts.report.lambda == Approx(used));
  CHECK_THAT(parts.sparse.history.back().parameters_json, Catch::Contains("\"lambda\": 0.1443"));
  o.rpca.max_iterations = max_rpca_iterations + 1;
  throws_naming([&] { remove_background(b, o, Device::cpu); }, "max_iterations");
}

TEST_CASE("trace shifts past the record and time-zero targets off it are refused", "[parameters][filters]") {
  const BScan b = noise(100, 4, 5);  // 100 samples x 0.1 ns = 10 ns
  throws_naming([&] { shift_time_zero(b, 1e-6); }, "time_zero");
  BScan out(100, 4, b.metadata);
  throws_naming([&] { shift_traces(b.view(), b.metadata, {12e-9}, out.view(), 8, Device::cpu); }, "shifts[0]");
  TimeZeroOptions o;
  o.first_break_time = 1.0;  // meant 1 ns
  const std::string text = message_of([&] { correct_time_zero(b, o, Device::cpu); });
  CHECK_THAT(text, Catch::Contains("first_break_time") && Catch::Contains("outside the record") &&
                       Catch::Contains("1 ns = 1e-09 s"));
}

TEST_CASE("the Kirchhoff table and the depth rows are bounded before they are allocated", "[parameters][migration]") {
  const BScanMetadata m = geometry(1e-10, 1e-4);  // 0.1 mm traces: a wide operator
  const auto v = VelocityModel::constant(1e8);
  // 256 samples reach 1.275 m at 1e8 m/s; 65001 rows x 10001 offsets x 8 bytes > 4 GiB.
  throws_naming([&] { KirchhoffPlan plan(m, 256, 5001, v, depth_axis(1.275 / 65000, 1.275), {}, Device::cpu); },
                "travel-time table");
  // More than 256 depth rows per time sample.
  throws_naming([&] { KirchhoffPlan plan(m, 256, 16, v, depth_axis(1e-5, 1.0), {}, Device::cpu); }, "too fine");
}

// ---- plausibility ----------------------------------------------------------

TEST_CASE("velocities in m/ns, cm/ns or faster than light are refused naming the slip", "[parameters][plausibility]") {
  const BScan b = noise(256, 32, 6);
  const DepthAxis a = depth_axis(0.01, 0.5);
  std::string text = message_of([&] { migrate(b, MigrationMethod::kirchhoff, VelocityModel::constant(0.1), a); });
  CHECK_THAT(text, Catch::Contains("0.1 m/s") && Catch::Contains("did you mean 0.1 m/ns = 1e+08 m/s"));
  VelocityModel raw;  // built without validation, as a caller might
  raw.velocities = {0.1};
  for (const auto method : {MigrationMethod::kirchhoff, MigrationMethod::stolt, MigrationMethod::phase_shift}) {
    text = message_of([&] { migrate(b, method, raw, a, Device::cpu); });
    INFO(to_string(method) << ": " << text);
    CHECK_THAT(text, Catch::Contains("m/ns"));
  }
  throws_naming([&] { migrate_stolt(b, 0.1, a); }, "m/ns");
  throws_naming([&] { time_to_depth(b, raw, a, Device::cpu); }, "m/ns");
  throws_naming([&] { velocity_scan(b, {0.08, 0.1}, a); }, "m/ns");
  throws_naming([&] { correct_antenna_offset(b, raw, Device::cpu); }, "m/ns");
  throws_naming([&] { VelocityModel::constant(12.0); }, "12 cm/ns = 1.2e+08 m/s");
  throws_naming([&] { VelocityModel::constant(3.5e8); }, "faster than light");
  throws_naming([&] { VelocityModel::layered({0.0, 0.1}, {1e8, 0.1}); }, "layer 1");
}

TEST_CASE("a band in MHz or GHz written as Hz is refused naming the slip", "[parameters][plausibility]") {
  const BScan b = noise(256, 8, 7);
  BandpassOptions o;
  o.low = 100;
  o.high = 800;  // bandpass(b, 100, 800) meant MHz: it returned zeros
  throws_naming([&] { bandpass(b, o); }, "high = 800 Hz");
  throws_naming([&] { bandpass(b, o); }, "did you mean 800 MHz = 8e+08 Hz");
  o.high = 800e6;
  throws_naming([&] { bandpass(b, o); }, "low = 100 Hz");
  o.low = 100e6;
  o.high_taper = 200;
  throws_naming([&] { bandpass(b, o); }, "high_taper");
  o.high_taper = 0.0;
  CHECK_NOTHROW(bandpass(b, o));
}

TEST_CASE("sample intervals, trace spacings and depths are checked against GPR and the record",
          "[parameters][plausibility]") {
  BScan b = noise(256, 32, 8, geometry(0.1));  // dt = 0.1 meant ns
  throws_naming([&] { dewow(b, 1.0); }, "dt = 0.1 s");
  throws_naming([&] { dewow(b, 1.0); }, "0.1 ns = 1e-10 s");
  b.metadata.dt = 1e-10;
  b.metadata.dx = 2000.0;  // meant mm
  throws_naming([&] { migrate(b, MigrationMethod::kirchhoff, VelocityModel::constant(1e8), depth_axis(0.01, 0.5)); },
                "2000 mm = 2 m");
  b.metadata.dx = 0.01;
  // 25.5 ns reach 1.91 m at 1.5e8 m/s: a 40 m deep axis (meant 40 cm) is refused.
  throws_naming([&] { migrate(b, MigrationMethod::kirchhoff, VelocityModel::constant(1.5e8), depth_axis(0.01, 40)); },
                "40 cm = 0.4 m");
  throws_naming([&] { migrate(b, MigrationMethod::stolt, VelocityModel::constant(1.5e8), depth_axis(2, 0.5)); },
                "dz = 2 m");
  b.metadata.center_frequency = 400;  // meant MHz
  throws_naming([&] { plausibility::check_geometry("survey", b.metadata); }, "400 MHz");
}

TEST_CASE("real systems pass the bounds: 10 MHz to gprMax picoseconds", "[parameters][plausibility]") {
  // A 10 MHz reconnaissance line: 10 ns sampling, 1 m traces, 4 m antenna
  // separation, 0.06 m/ns, a 5-20 MHz band, imaged to 100 m.
  BScanMetadata slow = geometry(10e-9, 1.0);
  slow.antenna_offset = 4.0;
  slow.center_frequency = 10e6;
  const BScan line = noise(400, 32, 9, slow);
  BandpassOptions o;
  o.low = 5e6;
  o.high = 20e6;
  o.low_taper = 2e6;
  o.high_taper = 5e6;
  CHECK_NOTHROW(bandpass(line, o, Device::cpu));
  KirchhoffOptions k;
  k.oversampling = 1;
  CHECK_NOTHROW(KirchhoffPlan(slow, 400, 32, VelocityModel::constant(0.06e9), depth_axis(0.1, 100.0), k, Device::cpu));
  // A gprMax landmine scene: 4.7 ps steps, 1 cm traces, 1.5 GHz, air (c) above the ground.
  BScanMetadata fine = geometry(4.7173e-12, 0.01);
  fine.center_frequency = 1.5e9;
  fine.antenna_height = 0.03;
  fine.antenna_offset = 0.04;
  CHECK_NOTHROW(plausibility::check_geometry("gprMax", fine));
  CHECK_NOTHROW(plausibility::check_velocity("air", speed_of_light));
  CHECK_NOTHROW(plausibility::check_velocity("sea water", 3.3e7));
  // A pulseEKKO 100 MHz line (0.4 ns, 0.25 m, 1 m separation).
  BScanMetadata ekko = geometry(0.4e-9, 0.25);
  ekko.antenna_offset = 1.0;
  ekko.center_frequency = 100e6;
  CHECK_NOTHROW(plausibility::check_geometry("pulseEKKO", ekko));
}

// ---- OpenMP regions ----------------------------------------------------------

TEST_CASE("an exception inside an OpenMP region is rethrown after it, not std::terminate", "[parameters][openmp]") {
  parallel::ParallelErrors errors;
  std::vector<int> done(1000, 0);
#pragma omp parallel
  {
    std::vector<int> scratch;
    const bool ready = errors.run([&] { scratch.resize(16); });
#pragma omp for schedule(dynamic, 7)
    for (long i = 0; i < 1000; ++i) {
      if (!ready) continue;
      errors.run([&] {
        if (i == 437) throw InvalidArgument("iteration 437 failed");
        done[static_cast<std::size_t>(i)] = 1;
      });
    }
  }
  CHECK(errors.failed());
  CHECK_THROWS_WITH(errors.rethrow(), "iteration 437 failed");
  CHECK(done[437] == 0);
  // And a region where nothing throws rethrows nothing.
  parallel::ParallelErrors quiet;
#pragma omp parallel
  quiet.run([] {});
  CHECK_NOTHROW(quiet.rethrow());
}

// ---- plans shared by threads --------------------------------------------------

namespace {

// 12 B-scans (different noise), migrated serially and by 4 threads through one plan.
template <class Plan>
void check_shared_plan(const Plan& plan, const BScanMetadata& m) {
  std::vector<BScan> lines;
  for (unsigned k = 0; k < 12; ++k) lines.push_back(noise(256, 48, 100 + k, m));
  std::vector<std::vector<float>> serial(lines.size()), threaded(lines.size());
  for (std::size_t k = 0; k < lines.size(); ++k) {
    serial[k].resize(plan.n_z() * plan.n_x());
    plan.execute(std::as_const(lines[k]).view(), BScanView{serial[k].data(), plan.n_z(), plan.n_x(), Memory::host});
  }
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t k = t; k < lines.size(); k += 4) {
        threaded[k].resize(plan.n_z() * plan.n_x());
        plan.execute(std::as_const(lines[k]).view(), BScanView{threaded[k].data(), plan.n_z(), plan.n_x(), Memory::host});
      }
    });
  for (auto& thread : threads) thread.join();
  std::size_t differing = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) differing += serial[k] != threaded[k];
  CHECK(differing == 0);
  CHECK(serial[0] != serial[1]);  // the images are of different lines: a mix-up could not hide
}

}  // namespace

TEST_CASE("one migration plan shared by 4 threads gives the serial images bit for bit", "[parameters][migration][threads]") {
  BScanMetadata m = geometry(1e-10, 0.01);
  m.antenna_offset = 0.05;  // the f-k plans then use their remap scratch too
  const DepthAxis a = depth_axis(0.005, 0.2);
  SECTION("Kirchhoff") {
    check_shared_plan(KirchhoffPlan(m, 256, 48, VelocityModel::constant(1e8), a, {}, Device::cpu), m);
  }
  SECTION("Stolt") { check_shared_plan(StoltPlan(m, 256, 48, 1e8, a, {}, Device::cpu), m); }
  SECTION("phase shift") {
    check_shared_plan(PhaseShiftPlan(m, 256, 48, VelocityModel::layered({0.0, 0.1}, {1e8, 0.8e8}), a, {},
                                     Device::cpu),
                      m);
  }
}

// ---- nothing silently dropped ------------------------------------------------

TEST_CASE("same-shape operations keep the positions and the marks of their traces", "[parameters][history]") {
  BScan b = noise(128, 16, 11);
  b.marks = {2, 9, 15};
  for (std::size_t j = 0; j < 16; ++j) b.positions.insert(b.positions.end(), {0.01 * j, 0.0, 0.0});
  BandpassOptions band;
  band.low = 1e8;
  band.high = 2e9;
  const std::vector<BScan> outputs = {dewow(b, 1e-9, Device::cpu), bandpass(b, band, Device::cpu),
                                      remove_background(b, moving(BackgroundMethod::moving_median, 5), Device::cpu),
                                      remove_dc(b), envelope(b, Device::cpu), shift_time_zero(b, 1e-9)};
  for (const BScan& out : outputs) {
    INFO(out.history.back().operation);
    CHECK(out.marks == b.marks);
    CHECK(out.positions == b.positions);
  }
  // And the histories record the windows used, not only the ones asked for.
  CHECK_THAT(outputs[0].history.back().parameters_json, Catch::Contains("\"window_samples\": 11"));
  CHECK_THAT(outputs[3].history.back().parameters_json,
             Catch::Contains("\"first_sample\": 0") && Catch::Contains("\"last_sample\": 127"));
}
