// Field-geometry steps on the GPU: agreement with the CPU backend (host and
// device views) for the trace mixes of stacking, decimation and distance
// normalisation, the saturation report, and the static correction; and the
// CPU tests' truths where they are cheap to restate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/geometry.hpp"
#include "preprocessing_device.hpp"

using namespace gprproc;
using gprproc_test::DeviceBScan;
using gprproc_test::require_close;

namespace {

// Odd sizes: partial thread blocks along traces.
const BScan& input() {
  static const BScan b = gprproc_test::test_bscan(517, 301, 17);
  return b;
}

// Runs a mix on the CPU, on the GPU from host views and from device views.
void compare_mix(const TraceMix& mix, const BScan& in = input()) {
  BScan cpu(in.n_samples(), mix.n_out(), in.metadata), gpu = cpu;
  apply_trace_mix(in.view(), mix, cpu.view(), Device::cpu);
  apply_trace_mix(in.view(), mix, gpu.view(), Device::cuda);
  {
    INFO("host views");
    require_close(gpu.samples(), cpu.samples(), 1e-6);
  }
  DeviceBScan d_in(in), d_out(in.n_samples(), mix.n_out());
  apply_trace_mix(d_in.cview(), mix, d_out.view(), Device::automatic);
  INFO("device views");
  require_close(d_out.host(), cpu.samples(), 1e-6);
}

LineGeometry line_of(const BScan& b) { return LineGeometry::of(b); }

}  // namespace

TEST_CASE("CUDA trace mixes (stack, decimation, normalisation) match the CPU", "[cuda][geometry]") {
  const LineGeometry line = line_of(input());
  StackOptions s;
  s.traces = 7;
  s.partial = PartialGroup::average;
  compare_mix(plan_stack(line, s).mix);
  DecimationOptions d;
  d.factor = 4;
  compare_mix(plan_decimation(line, d).mix);
  std::vector<double> distance(line.n_traces);
  for (std::size_t j = 0; j < distance.size(); ++j) distance[j] = 0.01 * j + 0.003 * std::sin(0.2 * j);  // increasing
  for (std::size_t j = 41; j < 47; ++j) distance[j] = distance[40];  // a stationary stretch
  DistanceOptions o;
  o.spacing = 0.007;
  compare_mix(plan_distance_normalization(line, distance, 0.0, o).mix);
}

TEST_CASE("CUDA stacking of identical traces gives that trace; NaN input is refused", "[cuda][geometry]") {
  BScan b(100, 33, input().metadata);
  for (std::size_t j = 0; j < 33; ++j)
    for (std::size_t i = 0; i < 100; ++i) b(i, j) = static_cast<float>(std::sin(0.37 * i) * 1234.5);
  StackOptions s;
  s.traces = 3;
  const BScan g = stack_traces(b, s, Device::cuda);
  for (std::size_t j = 0; j < g.n_traces(); ++j)
    for (std::size_t i = 0; i < 100; ++i) REQUIRE(g(i, j) == b(i, 0));
  b(50, 10) = std::numeric_limits<float>::quiet_NaN();
  DeviceBScan d_nan(b), d_out(100, 11);
  CHECK_THROWS_AS(apply_trace_mix(d_nan.cview(), plan_stack(line_of(b), s).mix, d_out.view(), Device::cuda),
                  InvalidArgument);
}

TEST_CASE("CUDA saturation report equals the CPU's", "[cuda][geometry][saturation]") {
  BScan b = input();
  // Clip traces 5, 6 and 200 at +-3 (inferred limits need a flat extreme).
  for (std::size_t j : {5u, 6u, 200u})
    for (std::size_t i = 0; i < b.n_samples(); ++i) b(i, j) = std::clamp(b(i, j) * 10.0f, -3.0f, 3.0f);
  for (std::size_t k = 0; k < b.size(); ++k) b.data()[k] = std::clamp(b.data()[k], -3.0f, 3.0f);
  for (bool given : {false, true}) {
    SaturationOptions o;
    if (given) {
      o.low = -3.0;
      o.high = 3.0;
    }
    const SaturationReport cpu = detect_saturation(b, o, Device::cpu);
    const SaturationReport gpu = detect_saturation(b, o, Device::cuda);
    DeviceBScan d(b);
    const SaturationReport dev = detect_saturation(d.cview(), o, Device::automatic);
    INFO(cpu.summary());
    CHECK(cpu.saturated_traces == std::vector<std::size_t>{5, 6, 200});
    for (const SaturationReport* r : {&gpu, &dev}) {
      CHECK(r->saturated_traces == cpu.saturated_traces);
      CHECK(r->fraction == cpu.fraction);
      CHECK(r->longest_run == cpu.longest_run);
      CHECK(r->low == cpu.low);
      CHECK(r->high == cpu.high);
    }
  }
}

TEST_CASE("CUDA static correction matches the CPU (host and device views)", "[cuda][geometry][topography]") {
  const BScan& in = input();
  std::vector<double> z(in.n_traces());
  for (std::size_t j = 0; j < z.size(); ++j) z[j] = 3.0 + 0.2 * std::sin(0.05 * j);
  TopographyOptions o;
  o.velocity = 1.1e8;
  const TopographyPlan plan = plan_topography(z, in.metadata, in.n_samples(), o);
  BScan cpu(plan.n_samples_out, in.n_traces(), in.metadata), gpu = cpu;
  correct_topography(in.view(), in.metadata, plan, cpu.view(), 8, Device::cpu);
  correct_topography(in.view(), in.metadata, plan, gpu.view(), 8, Device::cuda);
  require_close(gpu.samples(), cpu.samples(), 1e-5);
  DeviceBScan d_in(in), d_out(plan.n_samples_out, in.n_traces());
  correct_topography(d_in.cview(), in.metadata, plan, d_out.view(), 8, Device::automatic);
  require_close(d_out.host(), cpu.samples(), 1e-5);
}
