// Preprocessing filters on the GPU: agreement with the CPU backend (host and
// device views, in place on the device) and the CPU tests' truths.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"
#include "preprocessing_device.hpp"
#include "scoped_environment.hpp"

using namespace gprproc;
using gprproc_test::DeviceBScan;
using gprproc_test::require_close;

namespace {
// Sizes chosen to leave partial thread blocks and partial transpose tiles.
const BScan& input() {
  static const BScan b = gprproc_test::test_bscan(517, 301, 7);
  return b;
}
// Traces too long to stage a tile of them in shared memory (32 x 2600 floats
// > 227 KiB): the per-trace kernels then read global memory.
const BScan& tall_input() {
  static const BScan b = gprproc_test::test_bscan(2600, 45, 8);
  return b;
}

// Runs `op(in_view, out_view, device)` on the CPU, on the GPU with host views,
// with device views, and in place on the device; compares each GPU result.
template <class Op>
void compare_backends(Op op, double tolerance, const BScan& in = input()) {
  INFO(in.n_samples() << " x " << in.n_traces());
  BScan cpu(in.n_samples(), in.n_traces(), in.metadata), gpu_host = cpu;
  op(in.view(), cpu.view(), Device::cpu);
  op(in.view(), gpu_host.view(), Device::cuda);
  {
    INFO("host views");
    require_close(gpu_host.samples(), cpu.samples(), tolerance);
  }
  DeviceBScan d_in(in), d_out(in.n_samples(), in.n_traces());
  op(d_in.cview(), d_out.view(), Device::automatic);
  {
    INFO("device views");
    require_close(d_out.host(), cpu.samples(), tolerance);
  }
  op(d_in.cview(), d_in.view(), Device::cuda);
  {
    INFO("device views, in place");
    require_close(d_in.host(), cpu.samples(), tolerance);
  }
}
}  // namespace

TEST_CASE("CUDA remove_dc matches the CPU within 1e-6 of the peak", "[cuda][filters][dc]") {
  const auto& m = input().metadata;
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { remove_dc(i, m, TimeWindow{}, o, d); }, 1e-6);
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { remove_dc(i, m, TimeWindow{5e-9, 20e-9}, o, d); },
                   1e-6);
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { remove_dc(i, m, TimeWindow{}, o, d); }, 1e-6,
                   tall_input());
}

TEST_CASE("CUDA dewow matches the CPU within 1e-6 of the peak", "[cuda][filters][dewow]") {
  const auto& m = input().metadata;
  for (double window : {1e-10, 3e-9, 51.7e-9}) {
    compare_backends([&](ConstBScanView i, BScanView o, Device d) { dewow(i, m, window, o, d); }, 1e-6);
    compare_backends([&](ConstBScanView i, BScanView o, Device d) { dewow(i, m, window, o, d); }, 1e-6,
                     tall_input());
  }
}

TEST_CASE("CUDA remove_dc and dewow without trace staging match the CPU", "[cuda][filters][staging]") {
  // GPRPROC_CUDA_STAGE_TRACES=0 (the experiment gprproc-bench times as
  // *_unstaged): traces short enough to stage, read from global memory.
  const gprproc_test::ScopedEnvironment off("GPRPROC_CUDA_STAGE_TRACES", "0");
  const auto& m = input().metadata;
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { remove_dc(i, m, TimeWindow{}, o, d); }, 1e-6);
  for (double window : {1e-10, 3e-9})
    compare_backends([&](ConstBScanView i, BScanView o, Device d) { dewow(i, m, window, o, d); }, 1e-6);
}

TEST_CASE("CUDA bandpass matches the CPU within 1e-5 of the peak", "[cuda][filters][bandpass]") {
  const auto& m = input().metadata;
  BandpassOptions cosine;
  cosine.low = 200e6;
  cosine.high = 1.2e9;
  cosine.low_taper = 100e6;
  cosine.high_taper = 300e6;
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { bandpass(i, m, cosine, o, d); }, 1e-5);
  BandpassOptions butter;
  butter.low = 0.0;
  butter.high = 1e9;
  butter.shape = BandpassShape::butterworth;
  butter.order = 6;
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { bandpass(i, m, butter, o, d); }, 1e-5);
}

TEST_CASE("CUDA bandpass keeps the pass band and rejects the stop band (the CPU truth)", "[cuda][filters][bandpass]") {
  const std::size_t ns = 4096;
  const double dt = 1e-10;
  const std::vector<double> freqs{150e6, 1e9, 3.5e9};
  BScan in(ns, 2, gprproc_test::metadata(dt));
  for (std::size_t j = 0; j < 2; ++j)
    for (std::size_t i = 0; i < ns; ++i) {
      const double t = dt * i, w = 2 * gprproc_test::kPi;
      in(i, j) = static_cast<float>(std::sin(w * freqs[0] * t) + 0.7 * std::sin(w * freqs[1] * t + j) +
                                    1.3 * std::cos(w * freqs[2] * t));
    }
  BandpassOptions o;
  o.low = 500e6;
  o.high = 2e9;
  o.low_taper = 200e6;
  o.high_taper = 500e6;
  const BScan out = bandpass(in, o, Device::cuda);
  for (std::size_t j = 0; j < 2; ++j) {
    const auto a = gprproc_test::sine_amplitudes(out, j, freqs, ns / 4, 3 * ns / 4);
    REQUIRE(std::abs(20 * std::log10(a[1] / 0.7)) < 0.1);
    REQUIRE(20 * std::log10(a[0]) < -60.0);
    REQUIRE(20 * std::log10(a[2] / 1.3) < -60.0);
  }
}

TEST_CASE("CUDA Hilbert envelope and phase match the CPU", "[cuda][filters][hilbert]") {
  const auto& m = input().metadata;
  // Envelope within 1e-5 of its peak.
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { hilbert(i, m, o, BScanView{}, d); }, 1e-5);
  // Phase within 1e-3 rad where the envelope is above 1 % of its peak (the
  // phase of a vanishing signal is not defined).
  const BScan& in = input();
  const BScan env = envelope(in, Device::cpu);
  const BScan cpu = instantaneous_phase(in, Device::cpu);
  DeviceBScan d_in(in), d_phase(in.n_samples(), in.n_traces());
  hilbert(d_in.cview(), in.metadata, BScanView{}, d_phase.view(), Device::cuda);
  const std::vector<float> gpu = d_phase.host();
  float peak = 0.0f;
  for (float v : env.samples()) peak = std::max(peak, v);
  double err = 0.0;
  for (std::size_t k = 0; k < in.size(); ++k)
    if (env.data()[k] > 0.01f * peak)
      err = std::max(err, std::abs(std::remainder(static_cast<double>(gpu[k]) - cpu.data()[k], 2 * gprproc_test::kPi)));
  REQUIRE(err < 1e-3);
}

TEST_CASE("CUDA time zero: picks within 0.01 sample of the CPU's, given shifts within 1e-5", "[cuda][filters][time_zero]") {
  const BScan& in = input();
  for (FirstBreakMethod method : {FirstBreakMethod::amplitude_threshold, FirstBreakMethod::envelope_threshold,
                                  FirstBreakMethod::direct_wave_peak}) {
    INFO("method " << static_cast<int>(method));
    TimeZeroOptions o;
    o.method = method;
    o.threshold = 0.3;
    o.first_break_time = 2e-9;
    const auto cpu = pick_first_breaks(in.view(), in.metadata, o, Device::cpu);
    const auto gpu = pick_first_breaks(in.view(), in.metadata, o, Device::cuda);
    DeviceBScan d_in(in);
    const auto gpu_dev = pick_first_breaks(d_in.cview(), in.metadata, o, Device::cuda);
    for (std::size_t j = 0; j < in.n_traces(); ++j) {
      REQUIRE(gpu[j] == Approx(cpu[j]).margin(0.01 * in.metadata.dt));
      REQUIRE(gpu_dev[j] == Approx(cpu[j]).margin(0.01 * in.metadata.dt));
    }
    // Picks agreeing to 0.01 sample move a wavelet of slope up to ~0.3 of its
    // peak per sample by at most 3e-3 of the peak: the stated tolerance is 5e-3.
    compare_backends([&](ConstBScanView i, BScanView out, Device d) { correct_time_zero(i, in.metadata, o, out, d); },
                     5e-3);
  }
  std::vector<double> shifts(in.n_traces());
  for (std::size_t j = 0; j < shifts.size(); ++j) shifts[j] = (0.37 * j - 40.0) * in.metadata.dt;
  compare_backends([&](ConstBScanView i, BScanView o, Device d) { shift_traces(i, in.metadata, shifts, o, 8, d); },
                   1e-5);
}

TEST_CASE("CUDA filters flag NaN in device memory", "[cuda][filters][errors]") {
  BScan in = input();
  in(100, 57) = std::numeric_limits<float>::quiet_NaN();
  DeviceBScan d_in(in), d_out(in.n_samples(), in.n_traces());
  auto expect_non_finite = [](auto&& f) {
    try {
      f();
      FAIL("expected a non_finite InvalidArgument");
    } catch (const InvalidArgument& e) {
      REQUIRE(e.code() == ErrorCode::non_finite);
    }
  };
  expect_non_finite([&] { remove_dc(d_in.cview(), in.metadata, TimeWindow{}, d_out.view()); });
  expect_non_finite([&] { dewow(d_in.cview(), in.metadata, 2e-9, d_out.view()); });
  BandpassOptions o;
  o.high = 1e9;
  expect_non_finite([&] { bandpass(d_in.cview(), in.metadata, o, d_out.view()); });
  expect_non_finite([&] { hilbert(d_in.cview(), in.metadata, d_out.view(), BScanView{}); });
  expect_non_finite([&] { correct_time_zero(d_in.cview(), in.metadata, TimeZeroOptions{}, d_out.view()); });
  // Device views cannot go to the CPU backend.
  REQUIRE_THROWS_AS(dewow(d_in.cview(), in.metadata, 2e-9, d_out.view(), Device::cpu), InvalidArgument);
}
