// Preprocessing filters on the CPU against analytic truths: planted DC and wow,
// sums of sines in and out of the band, analytic envelopes and phases, and
// wavelets shifted by known fractional amounts.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gprproc/detail/filters_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"
#include "preprocessing_signals.hpp"

using namespace gprproc;
using gprproc_test::kPi;
using gprproc_test::metadata;
using gprproc_test::ricker;

namespace {

template <class F>
void require_invalid(F&& f, const std::string& fragment, ErrorCode code = ErrorCode::invalid_argument) {
  try {
    f();
    FAIL("expected InvalidArgument mentioning '" << fragment << "'");
  } catch (const InvalidArgument& e) {
    INFO(e.what());
    REQUIRE(e.code() == code);
    REQUIRE(std::string(e.what()).find(fragment) != std::string::npos);
  }
}

BScan random_bscan(std::size_t ns, std::size_t nt, double dt, unsigned seed) {
  BScan b(ns, nt, metadata(dt, -1e-9));
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  for (std::size_t j = 0; j < nt; ++j) {
    const float offset = 3.0f + static_cast<float>(j);
    for (std::size_t i = 0; i < ns; ++i) b(i, j) = offset + g(rng);
  }
  return b;
}

double db(double ratio) { return 20.0 * std::log10(ratio); }

}  // namespace

TEST_CASE("remove_dc leaves zero mean in the window", "[filters][dc]") {
  const BScan in = random_bscan(300, 70, 1e-10, 1);
  SECTION("whole trace") {
    const BScan out = remove_dc(in, TimeWindow::whole_trace(), Device::cpu);
    for (std::size_t j = 0; j < in.n_traces(); ++j) {
      double s = 0.0;
      for (std::size_t i = 0; i < in.n_samples(); ++i) s += out(i, j);
      REQUIRE(std::abs(s / in.n_samples()) < 1e-5);
    }
    REQUIRE(out.history.back().operation == "remove_dc");
  }
  SECTION("time window: its mean is zero, the whole trace moves by one constant") {
    const TimeWindow w{2e-9, 10e-9};  // samples 30..110 (t0 = -1 ns, dt = 0.1 ns)
    const BScan out = remove_dc(in, w, Device::cpu);
    for (std::size_t j = 0; j < in.n_traces(); ++j) {
      double s = 0.0;
      for (std::size_t i = 30; i <= 110; ++i) s += out(i, j);
      REQUIRE(std::abs(s / 81.0) < 1e-5);
      const float shift = in(0, j) - out(0, j);
      for (std::size_t i = 0; i < in.n_samples(); ++i) REQUIRE(in(i, j) - out(i, j) == Approx(shift).margin(1e-5));
    }
  }
  SECTION("in place equals out of place") {
    BScan copy = in;
    remove_dc(std::as_const(copy).view(), copy.metadata, TimeWindow{0.0, 5e-9}, copy.view(), Device::cpu);
    const BScan out = remove_dc(in, TimeWindow{0.0, 5e-9}, Device::cpu);
    REQUIRE(copy.samples() == out.samples());
  }
}

TEST_CASE("remove_dc rejects bad windows and samples", "[filters][dc][errors]") {
  BScan in = random_bscan(50, 4, 1e-10, 2);
  require_invalid([&] { remove_dc(in, TimeWindow{1.0, 2.0}); }, "holds no sample");
  require_invalid([&] { remove_dc(in, TimeWindow{3e-9, 1e-9}); }, "after its end");
  require_invalid([&] { remove_dc(in, TimeWindow{std::nan(""), 1e-9}); }, "NaN");
  in(7, 2) = std::numeric_limits<float>::quiet_NaN();
  require_invalid([&] { remove_dc(in, TimeWindow{}, Device::cpu); }, "sample 7, trace 2", ErrorCode::non_finite);
}

TEST_CASE("dewow removes a planted wow and keeps the Ricker", "[filters][dewow]") {
  // 100 ns traces at 0.1 ns; a 500 MHz Ricker at 40 ns on a wow made of a
  // linear ramp and a slow exponential (30 ns), different on every trace.
  const std::size_t ns = 1000, nt = 37;
  const double dt = 1e-10, f = 500e6, t_peak = 40e-9;
  BScan in(ns, nt, metadata(dt));
  std::vector<double> wow(ns * nt), pulse(ns * nt);
  for (std::size_t j = 0; j < nt; ++j) {
    for (std::size_t i = 0; i < ns; ++i) {
      const double t = dt * i;
      const double w = (0.5 + 0.1 * j) + 2.0 * t / 100e-9 + 3.0 * std::exp(-t / 30e-9);
      const double p = (1.0 + 0.05 * j) * ricker(t - t_peak, f);
      wow[i * nt + j] = w;
      pulse[i * nt + j] = p;
      in(i, j) = static_cast<float>(w + p);
    }
  }
  const double window = 5e-9;  // 2.5 periods of the Ricker
  const BScan out = dewow(in, window, Device::cpu);
  double residual = 0.0, wow_energy = 0.0;
  for (std::size_t k = 0; k < ns * nt; ++k) {
    const double r = out.data()[k] - pulse[k];
    residual += r * r;
    wow_energy += wow[k] * wow[k];
  }
  // Stated: residual wow energy below 0.1 % of the planted wow's energy.
  REQUIRE(residual / wow_energy < 1e-3);
  // Stated: the Ricker's peak kept within 2 % (and at the same sample).
  const std::size_t i_peak = static_cast<std::size_t>(t_peak / dt);
  for (std::size_t j = 0; j < nt; ++j) {
    REQUIRE(out(i_peak, j) == Approx(pulse[i_peak * nt + j]).epsilon(0.02));
    REQUIRE(out(i_peak, j) > out(i_peak - 1, j));
    REQUIRE(out(i_peak, j) > out(i_peak + 1, j));
  }
}

TEST_CASE("dewow: a constant trace becomes zero everywhere, edges included; in place works", "[filters][dewow]") {
  BScan in(200, 5, metadata(1e-10));
  for (std::size_t k = 0; k < in.size(); ++k) in.data()[k] = 4.25f;
  const BScan out = dewow(in, 3e-9, Device::cpu);
  for (std::size_t k = 0; k < in.size(); ++k) REQUIRE(std::abs(out.data()[k]) < 1e-6);

  BScan r = random_bscan(300, 65, 1e-10, 3);
  const BScan expected = dewow(r, 2e-9, Device::cpu);
  dewow(std::as_const(r).view(), r.metadata, 2e-9, r.view(), Device::cpu);
  REQUIRE(r.samples() == expected.samples());
}

TEST_CASE("dewow: the edge window shrinks (mean of the samples that exist)", "[filters][dewow]") {
  // Window 5 samples (half-width 2): sample 0 subtracts the mean of samples 0..2.
  BScan in(10, 1, metadata(1e-9));
  for (std::size_t i = 0; i < 10; ++i) in(i, 0) = static_cast<float>(i * i);
  const BScan out = dewow(in, 5e-9, Device::cpu);
  REQUIRE(out(0, 0) == Approx(0.0 - (0 + 1 + 4) / 3.0));
  REQUIRE(out(1, 0) == Approx(1.0 - (0 + 1 + 4 + 9) / 4.0));
  REQUIRE(out(5, 0) == Approx(25.0 - (9 + 16 + 25 + 36 + 49) / 5.0));
  REQUIRE(out(9, 0) == Approx(81.0 - (49 + 64 + 81) / 3.0));
}

TEST_CASE("dewow rejects bad windows and samples", "[filters][dewow][errors]") {
  BScan in = random_bscan(100, 3, 1e-10, 4);
  require_invalid([&] { dewow(in, 0.5e-10); }, "'window'");
  require_invalid([&] { dewow(in, 20e-9); }, "'window'");
  require_invalid([&] { dewow(in, std::nan("")); }, "'window'");
  in(3, 1) = std::numeric_limits<float>::infinity();
  require_invalid([&] { dewow(in, 1e-9, Device::cpu); }, "non-finite", ErrorCode::non_finite);
}

TEST_CASE("bandpass keeps the pass band and rejects the stop band", "[filters][bandpass]") {
  // fs = 10 GHz; sines at 150 MHz and 3.5 GHz (stop) and 1 GHz (pass).
  const std::size_t ns = 4096, nt = 3;
  const double dt = 1e-10;
  const std::vector<double> freqs{150e6, 1e9, 3.5e9};
  BScan in(ns, nt, metadata(dt));
  for (std::size_t j = 0; j < nt; ++j)
    for (std::size_t i = 0; i < ns; ++i) {
      const double t = dt * i;
      in(i, j) = static_cast<float>(std::sin(2 * kPi * freqs[0] * t + j) + 0.7 * std::sin(2 * kPi * freqs[1] * t + 2 * j) +
                                    1.3 * std::cos(2 * kPi * freqs[2] * t));
    }
  const std::vector<double> amps{1.0, 0.7, 1.3};
  SECTION("cosine taper: pass within 0.1 dB, stop below -60 dB (middle half of the trace)") {
    BandpassOptions o;
    o.low = 500e6;
    o.high = 2e9;
    o.low_taper = 200e6;
    o.high_taper = 500e6;
    const BScan out = bandpass(in, o, Device::cpu);
    for (std::size_t j = 0; j < nt; ++j) {
      const auto a = gprproc_test::sine_amplitudes(out, j, freqs, ns / 4, 3 * ns / 4);
      REQUIRE(std::abs(db(a[1] / amps[1])) < 0.1);
      REQUIRE(db(a[0] / amps[0]) < -60.0);
      REQUIRE(db(a[2] / amps[2]) < -60.0);
    }
  }
  SECTION("Butterworth: every sine scaled by the analytic |H(f)| within 0.1 dB") {
    BandpassOptions o;
    o.low = 500e6;
    o.high = 2e9;
    o.shape = BandpassShape::butterworth;
    o.order = 4;
    // |H| = 1/sqrt(1 + (low/f)^8) / sqrt(1 + (f/high)^8), written out here.
    auto h = [](double f) { return 1.0 / std::sqrt(1 + std::pow(500e6 / f, 8)) / std::sqrt(1 + std::pow(f / 2e9, 8)); };
    REQUIRE(bandpass_response(o, 1e9) == Approx(h(1e9)));
    const BScan out = bandpass(in, o, Device::cpu);
    for (std::size_t j = 0; j < nt; ++j) {
      const auto a = gprproc_test::sine_amplitudes(out, j, freqs, ns / 4, 3 * ns / 4);
      for (std::size_t k = 0; k < 3; ++k) REQUIRE(std::abs(db(a[k] / (amps[k] * h(freqs[k])))) < 0.1);
    }
    REQUIRE(db(h(150e6)) < -40.0);  // the stated stop-band rejection at 150 MHz
  }
}

TEST_CASE("bandpass is zero phase: a Ricker keeps its centre", "[filters][bandpass]") {
  const std::size_t ns = 600, nt = 2;
  const double dt = 1e-10, f = 500e6;
  BScan in(ns, nt, metadata(dt));
  for (std::size_t i = 0; i < ns; ++i) {
    in(i, 0) = static_cast<float>(ricker(dt * i - 30.03e-9, f));
    in(i, 1) = static_cast<float>(ricker(dt * i - 12.57e-9, f));
  }
  BandpassOptions o;
  o.low = 100e6;
  o.high = 1.5e9;
  o.shape = BandpassShape::butterworth;
  o.order = 2;
  const BScan out = bandpass(in, o, Device::cpu);
  REQUIRE(gprproc_test::ricker_centre(out, 0, f) == Approx(30.03e-9).margin(0.01 * dt));
  REQUIRE(gprproc_test::ricker_centre(out, 1, f) == Approx(12.57e-9).margin(0.01 * dt));
  // In place gives the same.
  BScan copy = in;
  bandpass(std::as_const(copy).view(), copy.metadata, o, copy.view(), Device::cpu);
  REQUIRE(copy.samples() == out.samples());
}

TEST_CASE("bandpass rejects bad corners and orders", "[filters][bandpass][errors]") {
  BScan in = random_bscan(64, 2, 1e-10, 5);
  BandpassOptions o;
  o.low = 2e9;
  o.high = 1e9;
  require_invalid([&] { bandpass(in, o); }, "corners reversed");
  o.low = 1e9;
  o.high = 6e9;
  require_invalid([&] { bandpass(in, o); }, "Nyquist");
  o.high = 2e9;
  o.low = -1.0;
  require_invalid([&] { bandpass(in, o); }, "'low'");
  o.low = 1e8;
  o.high_taper = std::nan("");
  require_invalid([&] { bandpass(in, o); }, "'high_taper'");
  o.high_taper = 0.0;
  o.shape = BandpassShape::butterworth;
  o.order = 0;
  require_invalid([&] { bandpass(in, o); }, "'order'");
  o.order = 4;
  in(0, 0) = std::numeric_limits<float>::quiet_NaN();
  require_invalid([&] { bandpass(in, o, Device::cpu); }, "non-finite", ErrorCode::non_finite);
}

TEST_CASE("Hilbert envelope and phase of analytic signals", "[filters][hilbert]") {
  // x = a(t) cos(2 pi f t + phi), a(t) a slow Gaussian: envelope a(t), phase
  // 2 pi f t + phi (Bedrosian: the spectra of a and of the carrier do not overlap).
  const std::size_t ns = 2000, nt = 4;
  const double dt = 1e-10, f = 800e6;
  BScan in(ns, nt, metadata(dt));
  auto a = [](double t) { return 2.0 * std::exp(-std::pow((t - 100e-9) / 30e-9, 2)); };
  for (std::size_t j = 0; j < nt; ++j)
    for (std::size_t i = 0; i < ns; ++i)
      in(i, j) = static_cast<float>(a(dt * i) * std::cos(2 * kPi * f * dt * i + 0.4 * j));
  const BScan env = envelope(in, Device::cpu);
  const BScan phase = instantaneous_phase(in, Device::cpu);
  double max_env_err = 0.0, max_phase_err = 0.0;
  for (std::size_t j = 0; j < nt; ++j)
    for (std::size_t i = 500; i < 1500; ++i) {  // where a(t) > 0.6
      const double t = dt * i;
      max_env_err = std::max(max_env_err, std::abs(env(i, j) - a(t)));
      const double expected = 2 * kPi * f * t + 0.4 * j;
      max_phase_err = std::max(max_phase_err, std::abs(std::remainder(phase(i, j) - expected, 2 * kPi)));
    }
  REQUIRE(max_env_err < 0.005 * 2.0);  // 0.5 % of the peak amplitude
  REQUIRE(max_phase_err < 0.005);      // radians
  for (std::size_t k = 0; k < phase.size(); ++k) REQUIRE(std::abs(phase.data()[k]) <= kPi + 1e-6);
}

TEST_CASE("hilbert writes either output, in place too, and rejects bad calls", "[filters][hilbert]") {
  BScan in = random_bscan(128, 9, 1e-10, 6);
  const BScan env = envelope(in, Device::cpu);
  BScan copy = in;
  hilbert(std::as_const(copy).view(), copy.metadata, copy.view(), BScanView{}, Device::cpu);
  REQUIRE(copy.samples() == env.samples());
  for (std::size_t k = 0; k < in.size(); ++k) REQUIRE(env.data()[k] >= std::abs(in.data()[k]) - 1e-5f);
  require_invalid([&] { hilbert(std::as_const(in).view(), in.metadata, BScanView{}, BScanView{}); }, "neither");
  BScan small(10, 9, in.metadata);
  require_invalid([&] { hilbert(std::as_const(in).view(), in.metadata, small.view(), BScanView{}); }, "shape",
                  ErrorCode::invalid_shape);
}

namespace {
// Ricker traces centred at t_c + delta_j * dt for known fractional delta_j.
const std::vector<double> kDeltas{0.0, 0.13, 0.5, 0.77, 2.31, -1.4, 7.9, -3.62};

BScan shifted_rickers(double dt, double f, double t_c) {
  BScan b(512, kDeltas.size(), metadata(dt, -2e-9));
  for (std::size_t j = 0; j < kDeltas.size(); ++j)
    for (std::size_t i = 0; i < b.n_samples(); ++i)
      b(i, j) = static_cast<float>((1.0 + 0.1 * j) * ricker(b.metadata.time_of_sample(i) - t_c - kDeltas[j] * dt, f));
  return b;
}
}  // namespace

TEST_CASE("time zero aligns traces shifted by known fractional amounts to 0.05 sample", "[filters][time_zero]") {
  const double dt = 1e-10, f = 500e6, t_c = 20e-9;
  const BScan in = shifted_rickers(dt, f, t_c);
  for (FirstBreakMethod method : {FirstBreakMethod::amplitude_threshold, FirstBreakMethod::envelope_threshold,
                                  FirstBreakMethod::direct_wave_peak}) {
    INFO("method " << static_cast<int>(method));
    TimeZeroOptions o;
    o.method = method;
    o.threshold = 0.2;
    o.first_break_time = 5e-9;
    const std::vector<double> picks = pick_first_breaks(std::as_const(in).view(), in.metadata, o, Device::cpu);
    for (std::size_t j = 0; j < kDeltas.size(); ++j)  // pick minus the planted shift: one constant
      REQUIRE((picks[j] - kDeltas[j] * dt) == Approx(picks[0]).margin(0.05 * dt));
    const BScan out = correct_time_zero(in, o, Device::cpu);
    const double c0 = gprproc_test::ricker_centre(out, 0, f);
    for (std::size_t j = 0; j < kDeltas.size(); ++j)
      REQUIRE(gprproc_test::ricker_centre(out, j, f) == Approx(c0).margin(0.05 * dt));
    if (method == FirstBreakMethod::direct_wave_peak) {
      // The first peak of |Ricker| above 20 % is its leading side lobe, at
      // sqrt(1.5) / (pi f) before the centre: that lands on first_break_time.
      REQUIRE(c0 == Approx(o.first_break_time + std::sqrt(1.5) / (kPi * f)).margin(0.05 * dt));
    }
  }
}

TEST_CASE("shift_time_zero moves a given time to zero with sub-sample accuracy", "[filters][time_zero]") {
  const double dt = 1e-10, f = 500e6;
  const BScan in = shifted_rickers(dt, f, 20e-9);
  const BScan out = shift_time_zero(in, 12.345e-9, 8, Device::cpu);
  for (std::size_t j = 0; j < kDeltas.size(); ++j)
    REQUIRE(gprproc_test::ricker_centre(out, j, f) ==
            Approx(20e-9 + kDeltas[j] * dt - 12.345e-9).margin(0.05 * dt));
  BScan copy = in;
  shift_traces(std::as_const(copy).view(), copy.metadata, {12.345e-9}, copy.view(), 8, Device::cpu);
  REQUIRE(copy.samples() == out.samples());
}

TEST_CASE("Kaiser-sinc weights equal the window made with std::cyl_bessel_i", "[filters][time_zero][interpolation]") {
  // detail::kaiser_sinc_weights sums I0's series in Horner form over a fixed
  // beta + 14 terms for every tap at once; the truth here is the C++17
  // special function.
  for (const int hw : {2, 3, 4, 8, 13, 16, 32}) {
    const double beta = 2.0 * hw, i0_beta = std::cyl_bessel_i(0.0, beta);
    for (const double frac : {1e-9, 0.1, 0.37, 0.5, 0.93, 0.999999}) {
      double w[2 * detail::kMaxSincHalfWidth];
      detail::kaiser_sinc_weights(frac, hw, w);
      double worst = 0.0;
      for (int t = 0; t < 2 * hw; ++t) {
        const double x = frac - (t - hw + 1), r = x / hw;
        const double sinc = std::sin(kPi * x) / (kPi * x);
        const double truth = std::fabs(r) >= 1.0 ? 0.0 : sinc * std::cyl_bessel_i(0.0, beta * std::sqrt(1.0 - r * r)) / i0_beta;
        worst = std::max(worst, std::fabs(w[t] - truth));
      }
      INFO("half-width " << hw << ", frac " << frac << ": largest difference " << worst);
      CHECK(worst < 1e-14);  // measured: at most 2.5e-15
    }
  }
}

TEST_CASE("first-break picks equal a dense scan of the Kaiser-sinc interpolant", "[filters][time_zero]") {
  // The truth: the interpolant written out here with std::cyl_bessel_i,
  // scanned every 1e-4 sample; the pick's definition (docs/PREPROCESSING.md)
  // applied to it. The ramp's level at 0.9 lies above every sample, where
  // the crossing is searched below the sample maximum.
  const int hw = 8;
  const double beta = 2.0 * hw, i0_beta = std::cyl_bessel_i(0.0, beta);
  auto interpolant = [&](const std::vector<float>& x, double p) {
    double sum = 0.0;
    for (long k = static_cast<long>(std::floor(p)) - hw + 1; k <= static_cast<long>(std::floor(p)) + hw; ++k) {
      if (k < 0 || k >= static_cast<long>(x.size())) continue;
      const double u = p - static_cast<double>(k), r = u / hw;
      if (std::fabs(r) >= 1.0) continue;
      const double sinc = u == 0.0 ? 1.0 : std::sin(kPi * u) / (kPi * u);
      sum += x[static_cast<std::size_t>(k)] * sinc * std::cyl_bessel_i(0.0, beta * std::sqrt(1.0 - r * r)) / i0_beta;
    }
    return std::fabs(sum);
  };
  const std::size_t n = 64;
  std::vector<std::vector<float>> traces;
  std::vector<float> ramp(n), ricker(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) ramp[i] = 0.01f * static_cast<float>(i);
  for (std::size_t i = 0; i < n; ++i) {
    const double a = kPi * 0.12 * (static_cast<double>(i) - 30.37);
    ricker[i] = static_cast<float>((1.0 - 2.0 * a * a) * std::exp(-a * a));
  }
  traces.push_back(ramp);
  traces.push_back(ricker);
  for (std::size_t t = 0; t < traces.size(); ++t)
    for (const double threshold : {0.1, 0.5, 0.9}) {
      const std::vector<float>& x = traces[t];
      double peak = 0.0;
      for (double p = 0.0; p <= static_cast<double>(n - 1); p += 1e-4) peak = std::max(peak, interpolant(x, p));
      const float level = static_cast<float>(threshold) * static_cast<float>(peak);
      std::size_t k = 0, k_max = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (std::fabs(x[i]) > std::fabs(x[k_max])) k_max = i;
      while (k < n && std::fabs(x[k]) < level) ++k;
      if (k >= n) k = k_max;
      double truth = static_cast<double>(k);
      for (double p = static_cast<double>(k) - 1.0; p <= static_cast<double>(k); p += 1e-4)
        if (interpolant(x, p) >= level) {
          truth = p;
          break;
        }
      const double pick = detail::pick_first_break(x.data(), 1, static_cast<long>(n), 0, threshold, hw);
      INFO("trace " << t << ", threshold " << threshold << ": pick " << pick << ", dense scan " << truth);
      CHECK(std::fabs(pick - truth) < 2e-3);
    }
}

TEST_CASE("shift_traces equals the tap-by-tap sum per sample, far shifts and in place included", "[filters][time_zero]") {
  // The CPU loop filters blocks of traces as columns; the truth is the
  // per-sample sum of detail::apply_sinc_weights, sample by sample.
  const std::size_t ns = 150, nt = 131;  // two full blocks of 64 and a partial one
  BScanMetadata meta;
  meta.dt = 1e-10;
  BScan in(ns, nt, meta);
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  for (std::size_t k = 0; k < in.size(); ++k) in.data()[k] = noise(rng);
  std::vector<double> shifts(nt);
  // Shifts up to just under the record (149.5 of 150 samples; a shift past it is refused).
  const double pattern[] = {0.0, 0.25, -0.6, 3.0, -7.0, 12.4, -20.75, 149.5, -149.5, 148.2, -149.0, 0.999};
  for (std::size_t j = 0; j < nt; ++j) shifts[j] = (pattern[j % 12] + 0.01 * static_cast<double>(j / 12)) * 1e-10;
  const int hw = 8;
  BScan out(ns, nt, meta);
  shift_traces(std::as_const(in).view(), in.metadata, shifts, out.view(), hw, Device::cpu);
  double worst = 0.0;
  for (std::size_t j = 0; j < nt; ++j) {
    const double s = shifts[j] / in.metadata.dt, base = std::floor(s);
    float w[2 * detail::kMaxSincHalfWidth];
    detail::sinc_weights(s - base, hw, w);
    for (std::size_t i = 0; i < ns; ++i) {
      const long k0 = static_cast<long>(i) + static_cast<long>(base);
      const float truth = s == base ? (k0 >= 0 && k0 < static_cast<long>(ns) ? in.samples()[static_cast<std::size_t>(k0) * nt + j] : 0.0f)
                                    : detail::apply_sinc_weights(in.samples().data() + j, nt, static_cast<long>(ns), k0, w, hw);
      worst = std::max(worst, static_cast<double>(std::fabs(out(i, j) - truth)));
    }
  }
  CHECK(worst == 0.0);  // the same sums in the same order
  BScan same = in;
  shift_traces(std::as_const(same).view(), same.metadata, shifts, same.view(), hw, Device::cpu);
  CHECK(same.samples() == out.samples());
}

TEST_CASE("time zero rejects bad options", "[filters][time_zero][errors]") {
  BScan in = shifted_rickers(1e-10, 500e6, 20e-9);
  TimeZeroOptions o;
  o.threshold = 0.0;
  require_invalid([&] { correct_time_zero(in, o); }, "'threshold'");
  o.threshold = std::nan("");
  require_invalid([&] { correct_time_zero(in, o); }, "'threshold'");
  o.threshold = 0.1;
  o.interpolation_half_width = 1;
  require_invalid([&] { correct_time_zero(in, o); }, "'interpolation_half_width'");
  require_invalid([&] { shift_traces(std::as_const(in).view(), in.metadata, {1e-9, 2e-9}, in.view()); }, "2 shifts",
                  ErrorCode::invalid_shape);
  in(100, 3) = std::numeric_limits<float>::quiet_NaN();
  require_invalid([&] { correct_time_zero(in, TimeZeroOptions{}, Device::cpu); }, "non-finite",
                  ErrorCode::non_finite);
}
