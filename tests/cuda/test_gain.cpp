// Gains on the GPU: agreement with the CPU backend (host and device views, in
// place on the device) and the round trip through remove_gain.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/gain.hpp"
#include "preprocessing_device.hpp"
#include "scoped_environment.hpp"

using namespace gprproc;
using gprproc_test::DeviceBScan;
using gprproc_test::require_close;

namespace {
const BScan& input() {
  static const BScan b = gprproc_test::test_bscan(613, 257, 9);
  return b;
}
// Traces too long to stage a tile of them in shared memory (32 x 2600 floats
// > 227 KiB): AGC then reads global memory (and copies the input in place).
const BScan& tall_input() {
  static const BScan b = gprproc_test::test_bscan(2600, 45, 10);
  return b;
}
}  // namespace

TEST_CASE("CUDA time gain matches the CPU within 1e-6 (host and device views)", "[cuda][gain]") {
  const BScan& in = input();
  TimeGain g;
  g.power = 1.7;
  g.exponent = 3e8;
  g.reference_time = 1e-9;
  const BScan cpu = time_gain(in, g, Device::cpu);
  const BScan gpu = time_gain(in, g, Device::cuda);
  require_close(gpu.samples(), cpu.samples(), 1e-6);
  DeviceBScan d(in);
  const std::vector<float> curve = time_gain(d.cview(), in.metadata, g, d.view(), Device::automatic);  // in place
  require_close(d.host(), cpu.samples(), 1e-6);
  // Undo on the device with the curve in device memory too.
  BScan curve_scan(std::vector<float>(curve), curve.size(), 1, in.metadata);
  DeviceBScan d_curve(curve_scan);
  remove_gain(d.cview(), d_curve.cview(), d.view());
  require_close(d.host(), in.samples(), 1e-6);
}

TEST_CASE("CUDA AGC matches the CPU within 1e-5, gain curve included", "[cuda][gain][agc]") {
  for (const BScan* scan : {&input(), &tall_input()})
  for (double window : {1e-10, 4e-9, 61.3e-9}) {
    const BScan& in = *scan;
    INFO(in.n_samples() << " samples, window " << window);
    const AgcOptions o{window, 1e-3};
    BScan cpu_gain, gpu_gain;
    const BScan cpu = agc(in, o, Device::cpu, &cpu_gain);
    const BScan gpu = agc(in, o, Device::cuda, &gpu_gain);
    require_close(gpu.samples(), cpu.samples(), 1e-5);
    require_close(gpu_gain.samples(), cpu_gain.samples(), 1e-5);
    DeviceBScan d(in), d_gain(in.n_samples(), in.n_traces());
    agc(d.cview(), in.metadata, o, d.view(), d_gain.view());  // in place, device views
    require_close(d.host(), cpu.samples(), 1e-5);
    require_close(d_gain.host(), cpu_gain.samples(), 1e-5);
    remove_gain(d.cview(), d_gain.cview(), d.view());
    require_close(d.host(), in.samples(), 1e-5);
  }
}

TEST_CASE("CUDA AGC without trace staging matches the CPU", "[cuda][gain][agc][staging]") {
  // GPRPROC_CUDA_STAGE_TRACES=0: the experiment gprproc-bench times as agc_unstaged.
  const gprproc_test::ScopedEnvironment off("GPRPROC_CUDA_STAGE_TRACES", "0");
  const BScan& in = input();
  const AgcOptions o{4e-9, 1e-3};
  BScan cpu_gain, gpu_gain;
  const BScan cpu = agc(in, o, Device::cpu, &cpu_gain);
  const BScan gpu = agc(in, o, Device::cuda, &gpu_gain);
  require_close(gpu.samples(), cpu.samples(), 1e-5);
  require_close(gpu_gain.samples(), cpu_gain.samples(), 1e-5);
}

TEST_CASE("CUDA gains flag NaN samples and zero gains in device memory", "[cuda][gain][errors]") {
  BScan in = input();
  in(3, 4) = std::numeric_limits<float>::quiet_NaN();
  DeviceBScan d(in), d_out(in.n_samples(), in.n_traces());
  try {
    agc(d.cview(), in.metadata, AgcOptions{2e-9, 1e-3}, d_out.view(), BScanView{});
    FAIL("expected non_finite");
  } catch (const InvalidArgument& e) {
    REQUIRE(e.code() == ErrorCode::non_finite);
  }
  BScan zero_gain(in.n_samples(), 1, in.metadata);  // all zero
  DeviceBScan d_clean(input()), d_zero(zero_gain);
  try {
    remove_gain(d_clean.cview(), d_zero.cview(), d_out.view());
    FAIL("expected non_finite");
  } catch (const InvalidArgument& e) {
    REQUIRE(e.code() == ErrorCode::non_finite);
    REQUIRE(std::string(e.what()).find("gain") != std::string::npos);
  }
}
