// Robust PCA on the GPU (cuda/background_rpca.cu): agreement with the CPU
// backend and recovery of a planted low-rank + sparse matrix, on host views,
// device views (in place included), and its errors.
//
// Stated tolerances:
// - GPU vs CPU: the same iterations, the relative residual within 1e-6
//   (relative), both parts within 1e-6 x max |input| (max abs). Both backends
//   run the same double-precision iteration, and the iteration is stable: a
//   relative 1e-15 perturbation of the Gram matrix (the size of the
//   difference between Eigen's and cuSOLVER's eigensolvers) moves the double
//   parts by ~1e-12 of max |input| in a numpy model of it, and the CPU's
//   stopping residuals on the matrices below (3.7e-8..8.8e-8) are far from
//   the 1e-7 tolerance, so the iteration counts match. What is left is the float rounding of the
//   outputs (~6e-8 x max |input|).
// - Recovery: both planted parts within 1e-3 (relative Frobenius), as the
//   CPU test states (tests/cpu/test_background.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/error.hpp"
#include "preprocessing_device.hpp"
#include "orthonormal_vectors.hpp"

using namespace gprproc;
using gprproc_test::orthonormal;
using gprproc_test::DeviceBScan;

namespace {

BScanMetadata unit_metadata() {
  BScanMetadata m;
  m.dt = 1e-11;
  m.dx = 0.01;
  return m;
}

// L0 = 400 u1 v1^T + 200 u2 v2^T (rank 2), S0 = 5 % of the entries, +-1..5.
struct Planted {
  BScan low_rank, sparse, mixed;
};

Planted planted(std::size_t m, std::size_t n, unsigned seed) {
  const auto u = orthonormal(m, 2, seed), v = orthonormal(n, 2, seed + 1);
  Planted p{BScan(m, n, unit_metadata()), BScan(m, n, unit_metadata()), BScan(m, n, unit_metadata())};
  std::mt19937 rng(seed + 2);
  std::bernoulli_distribution pick(0.05);
  std::uniform_real_distribution<double> magnitude(1.0, 5.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      p.low_rank(i, j) = static_cast<float>(400.0 * u[0][i] * v[0][j] + 200.0 * u[1][i] * v[1][j]);
      if (pick(rng)) p.sparse(i, j) = static_cast<float>(((i + j) % 2 ? 1.0 : -1.0) * magnitude(rng));
      p.mixed(i, j) = p.low_rank(i, j) + p.sparse(i, j);
    }
  return p;
}

double max_abs(const std::vector<float>& v) {
  double p = 0.0;
  for (float x : v) p = std::max(p, static_cast<double>(std::fabs(x)));
  return p;
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double d = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) d = std::max(d, std::fabs(static_cast<double>(a[k]) - b[k]));
  return d;
}

double relative_error(const std::vector<float>& a, const std::vector<float>& truth) {
  double d = 0.0, t = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    d += std::pow(static_cast<double>(a[k]) - truth[k], 2);
    t += std::pow(static_cast<double>(truth[k]), 2);
  }
  return std::sqrt(d / t);
}

constexpr double kAgreement = 1e-6;  // x max |input|, GPU vs CPU
constexpr double kRecovery = 1e-3;   // relative Frobenius, vs the planted parts

template <class F>
InvalidArgument invalid_argument_of(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e;
  }
  FAIL("no InvalidArgument was thrown");
  return InvalidArgument("unreachable");
}

}  // namespace

TEST_CASE("CUDA robust PCA agrees with the CPU on a planted low-rank + sparse matrix", "[background][rpca][cuda]") {
  // Both Gram orientations: traces fewer than samples, and the reverse.
  for (const auto& shape : {std::pair<std::size_t, std::size_t>{200, 60}, {60, 200}}) {
    DYNAMIC_SECTION("shape " << shape.first << " x " << shape.second) {
      const Planted p = planted(shape.first, shape.second, 21);
      const double scale = max_abs(p.mixed.samples());
      const RobustPcaResult cpu = robust_pca(p.mixed, RobustPcaOptions{}, Device::cpu);
      const RobustPcaResult gpu = robust_pca(p.mixed, RobustPcaOptions{}, Device::cuda);
      CHECK(gpu.report.converged == cpu.report.converged);
      CHECK(gpu.report.iterations == cpu.report.iterations);
      CHECK(gpu.report.relative_residual == Approx(cpu.report.relative_residual).epsilon(1e-6));
      CHECK(max_difference(gpu.low_rank.samples(), cpu.low_rank.samples()) <= kAgreement * scale);
      CHECK(max_difference(gpu.sparse.samples(), cpu.sparse.samples()) <= kAgreement * scale);

      // Not converged: stopped by max_iterations, the same report.
      RobustPcaOptions short_run;
      short_run.max_iterations = 3;
      const RobustPcaResult cpu3 = robust_pca(p.mixed, short_run, Device::cpu);
      const RobustPcaResult gpu3 = robust_pca(p.mixed, short_run, Device::cuda);
      CHECK_FALSE(gpu3.report.converged);
      CHECK(gpu3.report.iterations == 3);
      CHECK(gpu3.report.relative_residual == Approx(cpu3.report.relative_residual).epsilon(1e-6));
      CHECK(max_difference(gpu3.sparse.samples(), cpu3.sparse.samples()) <= kAgreement * scale);

      // An explicit lambda.
      RobustPcaOptions weighted;
      weighted.lambda = 0.2;
      const RobustPcaResult cpu_l = robust_pca(p.mixed, weighted, Device::cpu);
      const RobustPcaResult gpu_l = robust_pca(p.mixed, weighted, Device::cuda);
      CHECK(gpu_l.report.iterations == cpu_l.report.iterations);
      CHECK(max_difference(gpu_l.low_rank.samples(), cpu_l.low_rank.samples()) <= kAgreement * scale);
      CHECK(max_difference(gpu_l.sparse.samples(), cpu_l.sparse.samples()) <= kAgreement * scale);
    }
  }
}

TEST_CASE("CUDA robust PCA recovers the planted sparse part", "[background][rpca][cuda]") {
  const Planted p = planted(200, 60, 22);
  const RobustPcaResult result = robust_pca(p.mixed, RobustPcaOptions{}, Device::cuda);
  CHECK(result.report.converged);
  CHECK(result.report.relative_residual < 1e-7);
  CHECK(result.report.iterations < 200);
  CHECK(relative_error(result.sparse.samples(), p.sparse.samples()) < kRecovery);
  CHECK(relative_error(result.low_rank.samples(), p.low_rank.samples()) < kRecovery);
  REQUIRE(result.sparse.history.back().operation == "robust_pca");

  BackgroundOptions options;
  options.method = BackgroundMethod::rpca;
  const BScan out = remove_background(p.mixed, options, Device::cuda);
  CHECK(max_difference(out.samples(), p.sparse.samples()) < 1e-2 * max_abs(p.sparse.samples()));
}

TEST_CASE("CUDA robust PCA works on device views, in place included", "[background][rpca][cuda]") {
  const Planted p = planted(120, 90, 23);
  const std::size_t m = p.mixed.n_samples(), n = p.mixed.n_traces();
  const double scale = max_abs(p.mixed.samples());
  const RobustPcaResult cpu = robust_pca(p.mixed, RobustPcaOptions{}, Device::cpu);

  // Separate device input and outputs.
  DeviceBScan in(p.mixed), low(m, n), sparse(m, n);
  const BackgroundReport report = robust_pca(in.cview(), RobustPcaOptions{}, low.view(), sparse.view(), Device::cuda);
  CHECK(report.converged);
  CHECK(report.iterations == cpu.report.iterations);
  CHECK(max_difference(low.host(), cpu.low_rank.samples()) <= kAgreement * scale);
  CHECK(max_difference(sparse.host(), cpu.sparse.samples()) <= kAgreement * scale);
  CHECK(in.host() == p.mixed.samples());  // the input is not modified

  // The sparse part written over the input; automatic picks the GPU for device data.
  DeviceBScan shared(p.mixed), low2(m, n);
  robust_pca(shared.cview(), RobustPcaOptions{}, low2.view(), shared.view(), Device::automatic);
  CHECK(max_difference(shared.host(), cpu.sparse.samples()) <= kAgreement * scale);
  CHECK(max_difference(low2.host(), cpu.low_rank.samples()) <= kAgreement * scale);

  // remove_background(rpca) in place on the device, and device in / host out.
  BackgroundOptions options;
  options.method = BackgroundMethod::rpca;
  DeviceBScan in_place(p.mixed);
  const BackgroundReport r2 =
      remove_background(in_place.cview(), p.mixed.metadata, options, in_place.view(), Device::cuda);
  CHECK(r2.iterations == cpu.report.iterations);
  CHECK(max_difference(in_place.host(), cpu.sparse.samples()) <= kAgreement * scale);
  BScan host_out(m, n, p.mixed.metadata);
  remove_background(in.cview(), p.mixed.metadata, options, host_out.view(), Device::cuda);
  CHECK(max_difference(host_out.samples(), cpu.sparse.samples()) <= kAgreement * scale);

  // An all-zero matrix: zero parts, converged at once (as the CPU).
  DeviceBScan zeros(BScan(m, n, p.mixed.metadata));
  const BackgroundReport zero_report =
      robust_pca(zeros.cview(), RobustPcaOptions{}, low.view(), sparse.view(), Device::cuda);
  CHECK(zero_report.converged);
  CHECK(zero_report.iterations == 0);
  CHECK(max_abs(low.host()) == 0.0);
  CHECK(max_abs(sparse.host()) == 0.0);
}

TEST_CASE("CUDA robust PCA rejects bad input naming the problem", "[background][rpca][cuda]") {
  const Planted p = planted(40, 30, 24);
  DeviceBScan low(40, 30), sparse(40, 30);

  BScan nan = p.mixed;
  nan(7, 11) = std::nanf("");
  DeviceBScan nan_device(nan);
  CHECK(invalid_argument_of([&] {
          robust_pca(nan_device.cview(), RobustPcaOptions{}, low.view(), sparse.view(), Device::cuda);
        }).code() == ErrorCode::non_finite);
  CHECK(invalid_argument_of([&] { robust_pca(nan, RobustPcaOptions{}, Device::cuda); }).code() ==
        ErrorCode::non_finite);
  BackgroundOptions options;
  options.method = BackgroundMethod::rpca;
  CHECK(invalid_argument_of([&] {
          remove_background(nan_device.cview(), nan.metadata, options, sparse.view(), Device::cuda);
        }).code() == ErrorCode::non_finite);

  DeviceBScan in(p.mixed), wrong(30, 40);
  CHECK_THAT(invalid_argument_of([&] {
               robust_pca(in.cview(), RobustPcaOptions{}, wrong.view(), sparse.view(), Device::cuda);
             }).what(),
             Catch::Contains("low-rank output"));
  CHECK_THAT(invalid_argument_of([&] {
               robust_pca(in.cview(), RobustPcaOptions{}, low.view(), low.view(), Device::cuda);
             }).what(),
             Catch::Contains("different buffers"));
  RobustPcaOptions bad;
  bad.lambda = -1.0;
  CHECK_THAT(invalid_argument_of([&] { robust_pca(in.cview(), bad, low.view(), sparse.view(), Device::cuda); }).what(),
             Catch::Contains("lambda"));
  bad = RobustPcaOptions{};
  bad.tolerance = 1.5;
  CHECK_THAT(invalid_argument_of([&] { robust_pca(in.cview(), bad, low.view(), sparse.view(), Device::cuda); }).what(),
             Catch::Contains("tolerance"));
  bad = RobustPcaOptions{};
  bad.max_iterations = 0;
  CHECK_THAT(invalid_argument_of([&] { robust_pca(in.cview(), bad, low.view(), sparse.view(), Device::cuda); }).what(),
             Catch::Contains("max_iterations"));
  // Device data on the CPU backend is refused, not read.
  CHECK_THAT(invalid_argument_of([&] {
               robust_pca(in.cview(), RobustPcaOptions{}, low.view(), sparse.view(), Device::cpu);
             }).what(),
             Catch::Contains("device"));
}
