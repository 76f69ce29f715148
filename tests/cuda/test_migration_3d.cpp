// CUDA 3-D migration vs the CPU backend and vs the analytic truths, with host
// and device views. Tolerances (written without a GPU, to be confirmed on
// one): Kirchhoff max |GPU - CPU| <= 1e-3 of the image's peak (the same table
// and taps in the same order; the GPU contracts multiply-adds and its cuFFT
// pre-filter rounds differently from pocketfft); phase shift <= 1e-3 (cuFFT
// vs pocketfft, both float, the same double-precision continuation); Stolt
// <= 1e-3 (the same mapping function, cuFFT vs pocketfft).
#include <catch2/catch.hpp>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "gprproc/migration_3d.hpp"
#include "synthetic_cube.hpp"

using namespace gprproc;
using namespace gprproc_test;

namespace {

const std::vector<PointDiffractor3D> kPoints = {{0.30, 0.20, 0.15, 1.0}, {0.51, 0.21, 0.24, 1.0}};

DepthAxis axis() {
  DepthAxis a;
  a.dz = 0.005;
  a.depth = 0.32;
  return a;
}

double peak(const DepthImage3D& img) {
  double m = 0.0;
  for (std::size_t i = 0; i < img.size(); ++i) m = std::max(m, static_cast<double>(std::abs(img.data()[i])));
  return m;
}

double max_difference(const float* a, const float* b, std::size_t n) {
  double m = 0.0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, static_cast<double>(std::abs(a[i] - b[i])));
  return m;
}

void check_truth(const DepthImage3D& img) {
  for (const auto& p : kPoints) {
    const Focus3D f = strongest_near(img, p.x, p.y, p.depth, 0.06);
    INFO("diffractor (" << p.x << ", " << p.y << ", " << p.depth << ") focused at (" << f.x << ", " << f.y << ", "
                        << f.depth << "), value " << f.value);
    CHECK(std::abs(f.x - p.x) <= img.grid.plane.dx + 1e-9);
    CHECK(std::abs(f.y - p.y) <= img.grid.dy + 1e-9);
    CHECK(std::abs(f.depth - p.depth) <= img.grid.plane.dz + 1e-9);
    CHECK(f.value > 0.0);
  }
}

const Cube& cube() {
  static const Cube c = [] {
    SyntheticCube s;
    s.antenna_offset = 0.04;
    s.antenna_height = 0.03;
    return make_point_diffractor_cube(s, kPoints);
  }();
  return c;
}

VelocityModel velocity() { return VelocityModel::constant(SyntheticCube().velocity()); }

// `plan` run on device views of the cube (copied in, the image copied out).
template <class Plan>
std::vector<float> run_on_device(const Plan& plan, const Cube& c) {
  const std::size_t in_count = c.size(), out_count = c.n_lines() * plan.n_z() * c.n_traces();
  float *d_in = nullptr, *d_out = nullptr;
  REQUIRE(cudaMalloc(&d_in, in_count * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMalloc(&d_out, out_count * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMemcpy(d_in, c.data(), in_count * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
  plan.execute(ConstBScanStackView{d_in, c.n_lines(), c.n_samples(), c.n_traces(), Memory::device},
               BScanStackView{d_out, c.n_lines(), plan.n_z(), c.n_traces(), Memory::device});
  std::vector<float> result(out_count);
  REQUIRE(cudaMemcpy(result.data(), d_out, out_count * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
  cudaFree(d_in);
  cudaFree(d_out);
  return result;
}

}  // namespace

TEST_CASE("CUDA 3-D Kirchhoff matches the CPU, host and device views, tiled and anti-aliased",
          "[cuda][migration][3d]") {
  const Cube& c = cube();
  for (const bool antialias : {false, true}) {
    for (const std::size_t tile : {std::size_t(0), std::size_t(7)}) {
      Kirchhoff3DOptions o;
      o.antialias = antialias;
      o.tile_lines = tile ? 3 : 0;
      o.tile_traces = tile;
      const Kirchhoff3DPlan cpu(c.metadata, c.n_lines(), c.n_samples(), c.n_traces(), velocity(), axis(), o,
                                Device::cpu);
      const Kirchhoff3DPlan gpu(c.metadata, c.n_lines(), c.n_samples(), c.n_traces(), velocity(), axis(), o,
                                Device::cuda);
      REQUIRE(gpu.device() == Device::cuda);
      const DepthImage3D a = cpu.execute(c), b = gpu.execute(c);
      const double scale = peak(a);
      INFO("antialias " << antialias << ", tiles " << gpu.tile_lines() << " x " << gpu.tile_traces()
                        << ": max |GPU - CPU| / peak = " << max_difference(a.data(), b.data(), a.size()) / scale);
      CHECK(max_difference(a.data(), b.data(), a.size()) <= 1e-3 * scale);
      const std::vector<float> d = run_on_device(gpu, c);
      CHECK(max_difference(a.data(), d.data(), a.size()) <= 1e-3 * scale);
      check_truth(b);
    }
  }
}

TEST_CASE("CUDA 3-D phase shift matches the CPU, host and device views", "[cuda][migration][3d]") {
  const Cube& c = cube();
  for (const bool correct_offset : {true, false}) {
    PhaseShift3DOptions o;
    o.correct_offset = correct_offset;
    const PhaseShift3DPlan cpu(c.metadata, c.n_lines(), c.n_samples(), c.n_traces(), velocity(), axis(), o,
                               Device::cpu);
    const PhaseShift3DPlan gpu(c.metadata, c.n_lines(), c.n_samples(), c.n_traces(), velocity(), axis(), o,
                               Device::cuda);
    const DepthImage3D a = cpu.execute(c), b = gpu.execute(c);
    const double scale = peak(a);
    INFO("correct_offset " << correct_offset << ": max |GPU - CPU| / peak = "
                           << max_difference(a.data(), b.data(), a.size()) / scale);
    CHECK(max_difference(a.data(), b.data(), a.size()) <= 1e-3 * scale);
    const std::vector<float> d = run_on_device(gpu, c);
    CHECK(max_difference(a.data(), d.data(), a.size()) <= 1e-3 * scale);
    if (correct_offset) check_truth(b);
  }
}

TEST_CASE("CUDA 3-D Stolt matches the CPU, host and device views", "[cuda][migration][3d]") {
  const Cube& c = cube();
  const double v = SyntheticCube().velocity();
  const Stolt3DPlan cpu(c.metadata, c.n_lines(), c.n_samples(), c.n_traces(), v, axis(), {}, Device::cpu);
  const Stolt3DPlan gpu(c.metadata, c.n_lines(), c.n_samples(), c.n_traces(), v, axis(), {}, Device::cuda);
  const DepthImage3D a = cpu.execute(c), b = gpu.execute(c);
  const double scale = peak(a);
  INFO("max |GPU - CPU| / peak = " << max_difference(a.data(), b.data(), a.size()) / scale);
  CHECK(max_difference(a.data(), b.data(), a.size()) <= 1e-3 * scale);
  const std::vector<float> d = run_on_device(gpu, c);
  CHECK(max_difference(a.data(), d.data(), a.size()) <= 1e-3 * scale);
  check_truth(b);
}
