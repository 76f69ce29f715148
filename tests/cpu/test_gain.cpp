// Gains on the CPU against analytic truths: t^p and e^{at} on constant traces,
// unit RMS after AGC, and gain followed by remove_gain giving the input back.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/gain.hpp"
#include "preprocessing_signals.hpp"

using namespace gprproc;
using gprproc_test::kPi;
using gprproc_test::metadata;

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

BScan constant(std::size_t ns, std::size_t nt, double dt, double t0, float value) {
  BScan b(ns, nt, metadata(dt, t0));
  for (std::size_t k = 0; k < b.size(); ++k) b.data()[k] = value;
  return b;
}

BScan noisy(std::size_t ns, std::size_t nt, double dt, unsigned seed) {
  BScan b(ns, nt, metadata(dt, -1e-9));
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  for (std::size_t i = 0; i < ns; ++i)
    for (std::size_t j = 0; j < nt; ++j) b(i, j) = static_cast<float>(std::exp(-1e8 * dt * i)) * g(rng);
  return b;
}

}  // namespace

TEST_CASE("power gain of a constant trace is exactly t^p", "[gain][time_gain]") {
  const double dt = 1e-10;
  const BScan in = constant(200, 7, dt, 0.0, 1.0f);
  for (double p : {1.0, 2.0, 1.7, -0.5}) {
    INFO("p = " << p);
    std::vector<float> curve;
    const BScan out = power_gain(in, p, Device::cpu, &curve);
    REQUIRE(curve.size() == 200);
    for (std::size_t i = 1; i < 200; ++i) {
      const float expected = static_cast<float>(std::pow(dt * i, p));
      REQUIRE(curve[i] == expected);
      for (std::size_t j = 0; j < 7; ++j) REQUIRE(out(i, j) == expected);
    }
    // t = 0 is safe: it gets the gain of one sample interval.
    REQUIRE(out(0, 3) == static_cast<float>(std::pow(dt, p)));
  }
}

TEST_CASE("time gain: reference time, origin, exponential and SEC", "[gain][time_gain]") {
  const double dt = 1e-10, t0 = -2e-9;  // 20 samples before time zero
  const BScan in = constant(300, 3, dt, t0, 2.0f);
  SECTION("(t / 1 ns)^p from time zero; samples at or before time zero get (dt / 1 ns)^p") {
    TimeGain g;
    g.power = 2.0;
    g.reference_time = 1e-9;
    const BScan out = time_gain(in, g, Device::cpu);
    for (std::size_t i = 0; i < 300; ++i) {
      const double t = t0 + dt * i;
      const double tp = t > dt ? t : dt;
      REQUIRE(out(i, 1) == Approx(2.0 * std::pow(tp / 1e-9, 2.0)).epsilon(1e-6));
    }
  }
  SECTION("origin first_sample ignores t0") {
    TimeGain g;
    g.power = 1.0;
    g.origin = GainTimeOrigin::first_sample;
    const std::vector<float> curve = time_gain_curve(in.metadata, 300, g);
    for (std::size_t i = 1; i < 300; ++i) REQUIRE(curve[i] == Approx(dt * i).epsilon(1e-6));
  }
  SECTION("exponential e^{a t} after time zero, 1 before; SEC is the product") {
    const double a = 2e9;  // 1/s
    std::vector<float> ce;
    const BScan out = exponential_gain(in, a, Device::cpu, &ce);
    TimeGain sec;
    sec.power = 1.5;
    sec.exponent = a;
    const std::vector<float> cs = time_gain_curve(in.metadata, 300, sec);
    for (std::size_t i = 0; i < 300; ++i) {
      const double t = t0 + dt * i;
      const double e = t > 0 ? std::exp(a * t) : 1.0;
      REQUIRE(out(i, 0) == Approx(2.0 * e).epsilon(1e-6));
      REQUIRE(cs[i] == Approx(std::pow(t > dt ? t : dt, 1.5) * e).epsilon(1e-6));
    }
  }
}

TEST_CASE("gain then remove_gain gives back the input", "[gain][roundtrip]") {
  const BScan in = noisy(400, 33, 1e-10, 11);
  TimeGain g;
  g.power = 1.3;
  g.exponent = 1e9;
  g.reference_time = 1e-9;
  std::vector<float> curve;
  const BScan gained = time_gain(in, g, Device::cpu, &curve);
  const BScan back = remove_gain(gained, curve, Device::cpu);
  for (std::size_t k = 0; k < in.size(); ++k)
    REQUIRE(back.data()[k] == Approx(in.data()[k]).epsilon(1e-6).margin(1e-12));
  const BScan again = apply_gain(back, curve, Device::cpu);
  for (std::size_t k = 0; k < in.size(); ++k)
    REQUIRE(again.data()[k] == Approx(gained.data()[k]).epsilon(1e-6).margin(1e-12));

  BScan agc_gain;
  const BScan agc_out = agc(in, AgcOptions{5e-9, 1e-3}, Device::cpu, &agc_gain);
  REQUIRE(agc_gain.n_traces() == in.n_traces());
  const BScan agc_back = remove_gain(agc_out, agc_gain, Device::cpu);
  for (std::size_t k = 0; k < in.size(); ++k)
    REQUIRE(agc_back.data()[k] == Approx(in.data()[k]).epsilon(1e-5).margin(1e-12));
  REQUIRE(agc_back.history.back().operation == "remove_gain");
}

TEST_CASE("AGC output has unit RMS in windows", "[gain][agc]") {
  // A 500 MHz sine whose amplitude grows as e^{t / 50 ns}; window 10 ns. The
  // output's windowed RMS is 1 / sqrt(sinh(w/tau) / (w/tau)) for the
  // exponential envelope (w/tau = 0.2: 0.9967), 1 for a constant one: within 3 %.
  const std::size_t ns = 2000, nt = 5;
  const double dt = 1e-10, f = 500e6, window = 10e-9;
  BScan in(ns, nt, metadata(dt));
  for (std::size_t j = 0; j < nt; ++j)
    for (std::size_t i = 0; i < ns; ++i) {
      const double t = dt * i;
      const double amp = j == 0 ? 3.0 : (0.01 * j) * std::exp(t / 50e-9);
      in(i, j) = static_cast<float>(amp * std::sin(2 * kPi * f * t + j));
    }
  const BScan out = agc(in, AgcOptions{window, 1e-3}, Device::cpu);
  const std::size_t w = 100;  // samples in the window
  for (std::size_t j = 0; j < nt; ++j)
    for (std::size_t c = w; c + w < ns; c += 37) {
      double s = 0.0;
      for (std::size_t i = c - w / 2; i < c + w / 2; ++i) s += out(i, j) * out(i, j);
      REQUIRE(std::sqrt(s / w) == Approx(1.0).epsilon(0.03));
    }
}

TEST_CASE("AGC floor: quiet stretches and all-zero traces", "[gain][agc]") {
  const std::size_t ns = 400;
  const double dt = 1e-10;
  BScan in(ns, 2, metadata(dt));
  for (std::size_t i = 200; i < ns; ++i) in(i, 0) = static_cast<float>(std::sin(0.3 * i));  // trace 1 all zero
  BScan gain;
  const BScan out = agc(in, AgcOptions{2e-9, 0.01}, Device::cpu, &gain);
  double total = 0.0;
  for (std::size_t i = 0; i < ns; ++i) total += in(i, 0) * in(i, 0);
  const double level = 0.01 * std::sqrt(total / ns);
  REQUIRE(gain(10, 0) == Approx(1.0 / level).epsilon(1e-5));  // silence: the floor holds
  for (std::size_t i = 0; i < ns; ++i) {
    REQUIRE(gain(i, 1) == 1.0f);
    REQUIRE(out(i, 1) == 0.0f);
    REQUIRE(std::isfinite(out(i, 0)));
  }
  // In place equals out of place.
  BScan copy = in;
  agc(std::as_const(copy).view(), copy.metadata, AgcOptions{2e-9, 0.01}, copy.view(), BScanView{}, Device::cpu);
  REQUIRE(copy.samples() == out.samples());
}

TEST_CASE("gains reject bad parameters naming them", "[gain][errors]") {
  BScan in = noisy(100, 4, 1e-10, 12);
  require_invalid([&] { power_gain(in, std::nan("")); }, "'power'");
  require_invalid([&] { exponential_gain(in, std::numeric_limits<double>::infinity()); }, "'exponent'");
  require_invalid([&] { exponential_gain(in, 1e13); }, "float range");
  TimeGain g;
  g.reference_time = 0.0;
  require_invalid([&] { time_gain(in, g); }, "'reference_time'");
  require_invalid([&] { agc(in, AgcOptions{0.5e-10, 1e-3}); }, "'window'");
  require_invalid([&] { agc(in, AgcOptions{20e-9, 1e-3}); }, "'window'");
  require_invalid([&] { agc(in, AgcOptions{std::nan(""), 1e-3}); }, "'window'");
  require_invalid([&] { agc(in, AgcOptions{1e-9, 0.0}); }, "'floor'");
  require_invalid([&] { remove_gain(in, std::vector<float>(99, 1.0f)); }, "shape", ErrorCode::invalid_shape);
  std::vector<float> zero(100, 1.0f);
  zero[5] = 0.0f;
  require_invalid([&] { remove_gain(in, zero); }, "sample 5", ErrorCode::non_finite);
  in(4, 2) = std::numeric_limits<float>::quiet_NaN();
  require_invalid([&] { power_gain(in, 1.0, Device::cpu); }, "non-finite", ErrorCode::non_finite);
  require_invalid([&] { agc(in, AgcOptions{1e-9, 1e-3}, Device::cpu); }, "non-finite", ErrorCode::non_finite);
}
