// Background removal and metrics on the CPU, against truths: a synthetic
// B-scan of a flat reflector and a point-diffractor hyperbola (Ricker
// wavelets at exact travel times), exactly low-rank backgrounds, a planted
// low-rank + sparse matrix, and hand-computable metric values.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/detail/background_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/metrics.hpp"
#include "orthonormal_vectors.hpp"

using namespace gprproc;
using gprproc_test::orthonormal;

namespace {

constexpr double kPi = 3.14159265358979323846;

double ricker(double tau, double frequency) {
  const double a = kPi * frequency * tau;
  return (1.0 - 2.0 * a * a) * std::exp(-a * a);
}

// 400 samples x 81 traces, dt 25 ps, dx 2 cm, v 1e8 m/s, Ricker 1 GHz:
// a flat reflector (amplitude 1) at 1 ns = sample 40 on every trace, and a
// point diffractor 0.2 m deep under trace 40 (apex 4 ns = sample 160,
// amplitude 0.5) at t(x) = 2 sqrt(z^2 + (x - x_t)^2) / v, plus noise.
struct Scene {
  static constexpr std::size_t samples = 400, traces = 81, apex_trace = 40, apex_sample = 160;
  static constexpr double dt = 25e-12, dx = 0.02, velocity = 1e8, depth = 0.2, frequency = 1e9;
  static constexpr double flat_time = 1e-9, flat_amplitude = 1.0, apex_amplitude = 0.5;
  BScan flat, hyperbola, noise, total;

  explicit Scene(double noise_sigma) {
    BScanMetadata meta;
    meta.dt = dt;
    meta.dx = dx;
    flat = BScan(samples, traces, meta);
    hyperbola = BScan(samples, traces, meta);
    noise = BScan(samples, traces, meta);
    total = BScan(samples, traces, meta);
    std::mt19937 rng(7);
    std::normal_distribution<double> gauss(0.0, noise_sigma);
    for (std::size_t j = 0; j < traces; ++j) {
      const double offset = (static_cast<double>(j) - static_cast<double>(apex_trace)) * dx;
      const double arrival = 2.0 * std::sqrt(depth * depth + offset * offset) / velocity;
      for (std::size_t i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) * dt;
        flat(i, j) = static_cast<float>(flat_amplitude * ricker(t - flat_time, frequency));
        hyperbola(i, j) = static_cast<float>(apex_amplitude * ricker(t - arrival, frequency));
        noise(i, j) = static_cast<float>(gauss(rng));
        total(i, j) = flat(i, j) + hyperbola(i, j) + noise(i, j);
      }
    }
  }
};

// Energy of rows [row_begin, row_end) of all traces.
double energy(const BScan& b, std::size_t row_begin, std::size_t row_end) {
  double e = 0.0;
  for (std::size_t i = row_begin; i < row_end; ++i)
    for (std::size_t j = 0; j < b.n_traces(); ++j) e += static_cast<double>(b(i, j)) * b(i, j);
  return e;
}

BackgroundOptions moving(BackgroundMethod method, std::size_t window) {
  BackgroundOptions o;
  o.method = method;
  o.window_traces = window;
  return o;
}

BackgroundOptions components(std::size_t first, std::size_t last) {
  BackgroundOptions o;
  o.method = BackgroundMethod::svd;
  o.first_component = first;
  o.last_component = last;
  return o;
}

BScanMetadata unit_metadata() {
  BScanMetadata m;
  m.dt = 1e-11;
  m.dx = 0.01;
  return m;
}

// sum_k sigma_k u_k v_k^T for k in [first, last) (0-based), as a B-scan of shape (m, n).
BScan low_rank(std::size_t m, std::size_t n, const std::vector<double>& sigma, std::size_t first, std::size_t last,
               unsigned seed) {
  const auto u = orthonormal(m, sigma.size(), seed);
  const auto v = orthonormal(n, sigma.size(), seed + 1);
  BScan b(m, n, unit_metadata());
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double x = 0.0;
      for (std::size_t k = first; k < last; ++k) x += sigma[k] * u[k][i] * v[k][j];
      b(i, j) = static_cast<float>(x);
    }
  return b;
}

// A read-only view of a B-scan (BScan::view() on a non-const object gives a mutable one).
ConstBScanView cview(const BScan& b) { return b.view(); }

double max_abs(const BScan& b) {
  double peak = 0.0;
  for (float x : b.samples()) peak = std::max(peak, static_cast<double>(std::fabs(x)));
  return peak;
}

double max_abs_difference(const BScan& a, const BScan& b) {
  double d = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k)
    d = std::max(d, std::fabs(static_cast<double>(a.samples()[k]) - b.samples()[k]));
  return d;
}

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "(no InvalidArgument thrown)";
}

}  // namespace

TEST_CASE("mean and moving-window removal take a flat reflector away and keep the hyperbola apex",
          "[background][cpu]") {
  const Scene scene(1e-4);
  // Away from the hyperbola: samples 0..100 (the hyperbola starts at sample
  // 160 - 40; a 1 GHz Ricker 60 samples = 1.5 ns off its peak is < 1e-9).
  const double reflector_energy = energy(scene.flat, 0, 100);
  const double apex_in = scene.total(Scene::apex_sample, Scene::apex_trace);
  for (const auto& options : {moving(BackgroundMethod::mean, 1), moving(BackgroundMethod::moving_mean, 21),
                              moving(BackgroundMethod::moving_median, 21), moving(BackgroundMethod::moving_median, 41)}) {
    DYNAMIC_SECTION(to_string(options.method) << " over " << options.window_traces << " traces") {
      const BScan out = remove_background(scene.total, options, Device::cpu);
      // Residual: what is left of the reflector plus the noise left in.
      const double residual = energy(out, 0, 100);
      CHECK(residual < 1e-5 * reflector_energy);
      // The apex survives: within 25% of its amplitude (the moving windows
      // overlap the flat top of the hyperbola, mean over 21 traces most).
      const double apex_out = out(Scene::apex_sample, Scene::apex_trace);
      CHECK(apex_out > 0.75 * apex_in);
      CHECK(apex_out < 1.1 * apex_in);
      // ... and is still the largest value of its trace, at the right time (+-1 sample).
      std::size_t peak = 0;
      for (std::size_t i = 0; i < Scene::samples; ++i)
        if (std::fabs(out(i, Scene::apex_trace)) > std::fabs(out(peak, Scene::apex_trace))) peak = i;
      CHECK(std::abs(static_cast<long>(peak) - static_cast<long>(Scene::apex_sample)) <= 1);
    }
  }
}

TEST_CASE("the moving median equals a brute-force median of each window", "[background][cpu]") {
  const std::size_t m = 9, n = 120;
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> level(-20, 20);  // few levels: many ties
  BScan in(m, n, unit_metadata());
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) in(i, j) = (i % 2) ? 0.25f * static_cast<float>(level(rng)) : std::sin(0.37f * j * (i + 1));
  for (std::size_t w : {1, 3, 11, 21, 51, 101, 119}) {  // at most n (wider: an error, test_parameters.cpp)
    const BScan out = remove_background(in, moving(BackgroundMethod::moving_median, w), Device::cpu);
    const long long h = static_cast<long long>(w / 2);
    for (std::size_t i = 0; i < m; ++i)
      for (long long j = 0; j < static_cast<long long>(n); ++j) {
        std::vector<float> window;
        for (long long k = std::max(0LL, j - h); k < std::min(static_cast<long long>(n), j + h + 1); ++k)
          window.push_back(in(i, static_cast<std::size_t>(k)));
        std::sort(window.begin(), window.end());
        const std::size_t c = window.size();
        const float median = c % 2 ? window[c / 2] : 0.5f * (window[c / 2 - 1] + window[c / 2]);
        INFO("window " << w << " sample " << i << " trace " << j);
        REQUIRE(out(i, static_cast<std::size_t>(j)) == in(i, static_cast<std::size_t>(j)) - median);
      }
  }
}

TEST_CASE("the GPU median's selection step picks the window median from a sorted segment", "[background][cpu]") {
  // detail::select_window_median is the arithmetic the CUDA kernel runs per
  // output; here it runs on the CPU against a brute-force median.
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> level(-6, 6);
  const std::uint32_t length = 60;
  std::vector<float> segment(length);
  for (float& x : segment) x = 0.5f * static_cast<float>(level(rng));
  std::vector<std::uint64_t> keys(length);
  for (std::uint32_t k = 0; k < length; ++k) {
    std::uint32_t bits;
    std::memcpy(&bits, &segment[k], sizeof bits);
    keys[k] = detail::median_sort_key(bits, k);
  }
  std::sort(keys.begin(), keys.end());
  for (std::uint32_t w = 1; w <= length; ++w)
    for (std::uint32_t first = 0; first + w <= length; ++first) {
      std::vector<float> window(segment.begin() + first, segment.begin() + first + w);
      std::sort(window.begin(), window.end());
      std::uint32_t low = 0, high = 0;
      detail::select_window_median(keys.data(), length, first, w, &low, &high);
      float a, b;
      std::memcpy(&a, &low, sizeof a);
      std::memcpy(&b, &high, sizeof b);
      REQUIRE(a == window[(w - 1) / 2]);
      REQUIRE(b == window[w / 2]);
    }
  // The order-preserving bit map of the sort keys, across signs and zero.
  const std::vector<float> ordered{-1e30f, -2.5f, -1e-30f, 0.0f, 1e-30f, 3.0f, 1e30f};
  for (std::size_t k = 0; k + 1 < ordered.size(); ++k) {
    std::uint32_t p, q;
    std::memcpy(&p, &ordered[k], sizeof p);
    std::memcpy(&q, &ordered[k + 1], sizeof q);
    CHECK(detail::orderable_bits(p) < detail::orderable_bits(q));
    CHECK(detail::float_bits_of_orderable(detail::orderable_bits(p)) == p);
  }
}

TEST_CASE("the moving mean subtracts the average of each (shrinking) window", "[background][cpu]") {
  const std::size_t m = 5, n = 64;
  BScan in(m, n, unit_metadata());
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) in(i, j) = 1000.0f + std::cos(0.21f * j + i);  // large offset: cancellation
  for (std::size_t w : {1, 5, 21, 63}) {  // at most n (wider: an error, test_parameters.cpp)
    const BScan out = remove_background(in, moving(BackgroundMethod::moving_mean, w), Device::cpu);
    const long long h = static_cast<long long>(w / 2);
    for (std::size_t i = 0; i < m; ++i)
      for (long long j = 0; j < static_cast<long long>(n); ++j) {
        double sum = 0.0;
        const long long s = std::max(0LL, j - h), e = std::min(static_cast<long long>(n), j + h + 1);
        for (long long k = s; k < e; ++k) sum += in(i, static_cast<std::size_t>(k));
        const double expected = in(i, static_cast<std::size_t>(j)) - sum / static_cast<double>(e - s);
        REQUIRE(out(i, static_cast<std::size_t>(j)) == Approx(expected).margin(1e-4));  // float of ~1000: ulp 6e-5
      }
  }
}

TEST_CASE("mean-trace removal leaves every row with zero mean and is exact for a flat background",
          "[background][cpu]") {
  const Scene scene(0.0);
  const BScan out = remove_background(scene.flat, BackgroundOptions{}, Device::cpu);
  CHECK(max_abs(out) < 1e-6);
  BScan copy = scene.total;  // in place
  remove_background(cview(copy), copy.metadata, BackgroundOptions{}, copy.view(), Device::cpu);
  for (std::size_t i = 0; i < copy.n_samples(); ++i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < copy.n_traces(); ++j) sum += copy(i, j);
    REQUIRE(std::fabs(sum) < 1e-5);
  }
  REQUIRE(out.history.back().operation == "remove_background");
  CHECK(out.history.back().parameters_json.find("\"mean\"") != std::string::npos);
}

TEST_CASE("rank-1 subspace removal of an exactly rank-1 background is exact", "[background][cpu]") {
  // (600, 300): the Gram matrix is above 256, so the subspace-iteration path runs.
  for (const auto& shape : {std::pair<std::size_t, std::size_t>{300, 40}, {30, 200}, {600, 300}}) {
    const std::size_t m = shape.first, n = shape.second;
    DYNAMIC_SECTION("shape (" << m << ", " << n << ")") {
      // M = 100 u1 v1^T + (targets: 3 u2 v2^T + 1 u3 v3^T), orthonormal u, v.
      const std::vector<double> sigma{100.0, 3.0, 1.0};
      const BScan background = low_rank(m, n, sigma, 0, 1, 5);
      const BScan targets = low_rank(m, n, sigma, 1, 3, 5);
      BScan total(m, n, unit_metadata());
      for (std::size_t k = 0; k < total.size(); ++k) total.data()[k] = background.data()[k] + targets.data()[k];

      const BScan only = remove_background(background, components(1, 1), Device::cpu);
      CHECK(max_abs(only) < 1e-6 * max_abs(background));
      const BScan out = remove_background(total, components(1, 1), Device::cpu);
      CHECK(max_abs_difference(out, targets) < 1e-5 * max_abs(background));
      // Components 2..3 removed: the rank-1 part is what is left.
      const BScan first = remove_background(total, components(2, 3), Device::cpu);
      CHECK(max_abs_difference(first, background) < 1e-5 * max_abs(background));

      const std::vector<double> s = singular_values(cview(total), Device::cpu);
      REQUIRE(s.size() == std::min(m, n));
      CHECK(s[0] == Approx(100.0).epsilon(1e-5));
      CHECK(s[1] == Approx(3.0).epsilon(1e-4));
      CHECK(s[2] == Approx(1.0).epsilon(1e-3));
      CHECK(s[3] < 1e-3);
      BackgroundOptions automatic;
      automatic.method = BackgroundMethod::svd;
      automatic.automatic_rank = true;
      BScan in_place = total;
      const BackgroundReport report =
          remove_background(cview(in_place), in_place.metadata, automatic, in_place.view(), Device::cpu);
      CHECK(report.first_component == 1);
      CHECK(report.last_component == 3);  // the drop from 1 to ~1e-5 is the largest in log
      CHECK(max_abs(in_place) < 1e-4 * max_abs(background));
    }
  }
}

TEST_CASE("the automatic rank is the largest drop of the log spectrum", "[background][cpu]") {
  CHECK(choose_background_rank({100, 1, 0.5, 0.4}) == 1);
  CHECK(choose_background_rank({100, 90, 1, 0.9, 0.8}) == 2);
  CHECK(choose_background_rank({5, 4, 3, 0}) == 3);  // exactly rank 3
  CHECK(choose_background_rank({10, 9, 8, 7, 6, 5, 4, 0.001}, 5) <= 5);
  CHECK(choose_background_rank({0, 0}) == 1);
  CHECK(choose_background_rank({7}) == 1);
  CHECK_THROWS_AS(choose_background_rank({1, 0.5}, 0), InvalidArgument);
}

TEST_CASE("robust PCA recovers a planted sparse part of a low-rank plus sparse matrix", "[background][cpu]") {
  const std::size_t m = 200, n = 60;
  const BScan l0 = low_rank(m, n, {400.0, 200.0}, 0, 2, 21);
  BScan s0(m, n, unit_metadata());
  std::mt19937 rng(22);
  std::bernoulli_distribution pick(0.05);
  std::uniform_real_distribution<double> magnitude(1.0, 5.0);
  for (std::size_t k = 0; k < s0.size(); ++k)
    if (pick(rng)) s0.data()[k] = static_cast<float>((k % 2 ? 1.0 : -1.0) * magnitude(rng));
  BScan mixed(m, n, unit_metadata());
  for (std::size_t k = 0; k < mixed.size(); ++k) mixed.data()[k] = l0.data()[k] + s0.data()[k];

  const RobustPcaResult result = robust_pca(mixed, RobustPcaOptions{}, Device::cpu);
  CHECK(result.report.converged);
  CHECK(result.report.relative_residual < 1e-7);
  CHECK(result.report.iterations < 200);
  // Stated tolerance: both parts within 1e-3 (relative Frobenius error).
  double ds = 0.0, ns = 0.0, dl = 0.0, nl = 0.0;
  for (std::size_t k = 0; k < mixed.size(); ++k) {
    ds += std::pow(result.sparse.data()[k] - s0.data()[k], 2);
    ns += std::pow(s0.data()[k], 2);
    dl += std::pow(result.low_rank.data()[k] - l0.data()[k], 2);
    nl += std::pow(l0.data()[k], 2);
  }
  CHECK(std::sqrt(ds / ns) < 1e-3);
  CHECK(std::sqrt(dl / nl) < 1e-3);
  REQUIRE(result.sparse.history.back().operation == "robust_pca");

  BackgroundOptions options;
  options.method = BackgroundMethod::rpca;
  const BScan out = remove_background(mixed, options, Device::cpu);
  CHECK(max_abs_difference(out, s0) < 1e-2 * max_abs(s0));
}

TEST_CASE("background removal rejects bad parameters and input, naming them", "[background][cpu]") {
  const Scene scene(0.0);
  const BScan& b = scene.total;
  auto run = [&](const BackgroundOptions& o) { return [&b, o] { remove_background(b, o, Device::cpu); }; };
  CHECK_THAT(message_of(run(moving(BackgroundMethod::moving_mean, 4))), Catch::Contains("window_traces"));
  CHECK_THAT(message_of(run(moving(BackgroundMethod::moving_median, 0))), Catch::Contains("window_traces"));
  CHECK_THAT(message_of(run(components(3, 2))), Catch::Contains("first_component"));
  CHECK_THAT(message_of(run(components(0, 1))), Catch::Contains("first_component"));
  CHECK_THAT(message_of(run(components(1, 82))), Catch::Contains("last_component"));
  BackgroundOptions rpca;
  rpca.method = BackgroundMethod::rpca;
  rpca.rpca.lambda = -1.0;
  CHECK_THAT(message_of(run(rpca)), Catch::Contains("lambda"));
  rpca.rpca.lambda = 0.0;
  rpca.rpca.tolerance = 0.0;
  CHECK_THAT(message_of(run(rpca)), Catch::Contains("tolerance"));
  rpca.rpca.tolerance = 1e-7;
  rpca.rpca.max_iterations = 0;
  CHECK_THAT(message_of(run(rpca)), Catch::Contains("max_iterations"));

  BScan nan = b;
  nan(5, 7) = std::nanf("");
  for (const auto& o : {moving(BackgroundMethod::mean, 1), moving(BackgroundMethod::moving_median, 5),
                        components(1, 1)}) {
    try {
      remove_background(nan, o, Device::cpu);
      FAIL("NaN input was accepted");
    } catch (const InvalidArgument& e) {
      CHECK(e.code() == ErrorCode::non_finite);
      CHECK_THAT(std::string(e.what()), Catch::Contains("sample 5, trace 7"));
    }
  }
  BScan wrong(10, 10, b.metadata);
  CHECK_THROWS_AS(remove_background(cview(b), b.metadata, BackgroundOptions{}, wrong.view(), Device::cpu),
                  InvalidArgument);
  CHECK_THROWS_AS(remove_background(BScan(), BackgroundOptions{}, Device::cpu), InvalidArgument);
  CHECK_THROWS_AS(parse_background_method("median"), InvalidArgument);
  CHECK(parse_background_method("Moving-Median") == BackgroundMethod::moving_median);
  CHECK(parse_background_method("subspace") == BackgroundMethod::svd);
}

TEST_CASE("signal-to-clutter ratio and PSNR have their defined values", "[background][metrics][cpu]") {
  BScan b(20, 10, unit_metadata());
  for (std::size_t i = 0; i < 20; ++i)
    for (std::size_t j = 0; j < 10; ++j) b(i, j) = (i >= 5 && i < 8 && j >= 2 && j < 4) ? 10.0f : -1.0f;
  const TargetWindow target{5, 8, 2, 4};
  CHECK(signal_to_clutter_ratio(cview(b), target) == Approx(20.0));  // power 100 vs 1
  BScan quieter = b;
  for (std::size_t k = 0; k < quieter.size(); ++k)
    if (quieter.data()[k] < 0.0f) quieter.data()[k] = -0.1f;
  CHECK(scr_improvement(cview(b), cview(quieter), target) == Approx(20.0));

  BScan reference(4, 5, unit_metadata());
  reference(1, 1) = -2.0f;  // peak = max |reference| = 2
  BScan result = reference;
  for (std::size_t k = 0; k < result.size(); ++k) result.data()[k] += 0.02f;  // MSE 4e-4
  CHECK(psnr(cview(result), cview(reference)) == Approx(40.0).epsilon(1e-5));
  CHECK(std::isinf(psnr(cview(reference), cview(reference))));

  CHECK_THROWS_AS(signal_to_clutter_ratio(cview(b), TargetWindow{5, 5, 2, 4}), InvalidArgument);
  CHECK_THROWS_AS(signal_to_clutter_ratio(cview(b), TargetWindow{5, 21, 2, 4}), InvalidArgument);
  CHECK_THROWS_AS(signal_to_clutter_ratio(cview(b), TargetWindow{0, 20, 0, 10}), InvalidArgument);
  CHECK_THROWS_AS(psnr(cview(result), cview(BScan(4, 5, unit_metadata()))), InvalidArgument);
  CHECK_THROWS_AS(psnr(cview(result), cview(b)), InvalidArgument);
}
