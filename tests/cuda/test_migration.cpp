// CUDA migration vs the CPU backend and vs the analytic truths, with host and
// device views. Tolerances: Kirchhoff max |GPU - CPU| <= 2e-3 of the image's
// peak (the texture unit interpolates with an 8-bit fraction on the 4x
// oversampled trace and sums in another order); Stolt <= 1e-3 of the peak
// (cuFFT vs pocketfft, both float); phase shift <= 1e-3; time-to-depth <= 1e-5.
#include <catch2/catch.hpp>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/velocity.hpp"
#include "image_focus.hpp"
#include "synthetic_bscan.hpp"

using namespace gprproc;
using namespace gprproc_test;

namespace {

const std::vector<PointDiffractor> kPoints = {{0.45, 0.20, 1.0}, {0.85, 0.33, 1.0}};

DepthAxis axis() {
  DepthAxis a;
  a.dz = 0.005;
  a.depth = 0.5;
  return a;
}

// Largest |value| of an image or a B-scan.
template <class Samples>
double peak(const Samples& img) {
  double m = 0.0;
  for (std::size_t i = 0; i < img.size(); ++i) m = std::max(m, static_cast<double>(std::abs(img.data()[i])));
  return m;
}

double max_difference(const float* a, const float* b, std::size_t n) {
  double m = 0.0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, static_cast<double>(std::abs(a[i] - b[i])));
  return m;
}

void check_truth(const DepthImage& img) {
  for (const auto& p : kPoints) {
    const Focus f = strongest_near(img, p.x, p.depth, 0.12);
    INFO("diffractor (" << p.x << ", " << p.depth << ") focused at (" << f.x << ", " << f.depth << ")");
    CHECK(std::abs(f.x - p.x) <= img.grid.dx + 1e-9);
    CHECK(std::abs(f.depth - p.depth) <= img.grid.dz + 1e-9);
  }
}

SyntheticSurvey survey(double offset, double height) {
  SyntheticSurvey s;
  s.antenna_offset = offset;
  s.antenna_height = height;
  return s;
}

}  // namespace

TEST_CASE("CUDA Kirchhoff agrees with the CPU and focuses the diffractors", "[cuda][migration][kirchhoff]") {
  for (const double height : {0.0, 0.03}) {
    const auto s = survey(0.04, height);
    const BScan b = make_point_diffractor_bscan(s, kPoints);
    const auto v = VelocityModel::constant(s.velocity());
    for (const bool rho : {true, false}) {
      KirchhoffOptions o;
      o.half_derivative = rho;
      const DepthImage cpu = migrate_kirchhoff(b, v, axis(), o, Device::cpu);
      const DepthImage gpu = migrate_kirchhoff(b, v, axis(), o, Device::cuda);
      REQUIRE(gpu.n_z() == cpu.n_z());
      REQUIRE(gpu.n_x() == cpu.n_x());
      const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
      INFO("height " << height << ", rho " << rho << ": max |GPU - CPU| = " << diff << ", peak " << peak(cpu));
      CHECK(diff <= 2e-3 * peak(cpu));
      if (rho) check_truth(gpu);
    }
  }
}

// Anti-aliasing on both backends: the same table of triangle half-lengths and
// the same tap formula (detail::triangle_taps); the GPU reads the doubly
// integrated traces in full float precision and the rest through the texture,
// so the plain sum's tolerance (2e-3 of the peak) holds. Coarse traces (4 cm)
// exercise the filters on most contributions; 1 cm with an offset and an
// antenna height exercises the mix of plain and filtered reads.
TEST_CASE("CUDA Kirchhoff with anti-aliasing agrees with the CPU", "[cuda][migration][kirchhoff][antialias]") {
  struct Case {
    double dx, offset, height;
  };
  for (const Case c : {Case{0.04, 0.0, 0.0}, Case{0.01, 0.04, 0.03}}) {
    auto s = survey(c.offset, c.height);
    s.dx = c.dx;
    s.n_traces = 2 * static_cast<std::size_t>(std::lround(0.64 / c.dx)) + 1;
    const BScan b = make_point_diffractor_bscan(s, kPoints);
    const auto v = VelocityModel::constant(s.velocity());
    KirchhoffOptions o;
    o.antialias = true;
    const DepthImage cpu = migrate_kirchhoff(b, v, axis(), o, Device::cpu);
    const DepthImage gpu = migrate_kirchhoff(b, v, axis(), o, Device::cuda);
    REQUIRE(gpu.size() == cpu.size());
    const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
    INFO("dx " << c.dx << ", offset " << c.offset << ", height " << c.height << ": max |GPU - CPU| = " << diff
               << ", peak " << peak(cpu));
    CHECK(diff <= 2e-3 * peak(cpu));
    check_truth(gpu);
    // Device views, executed twice: the plan's host-view image.
    KirchhoffPlan plan(b.metadata, b.n_samples(), b.n_traces(), v, axis(), o, Device::cuda);
    const DepthImage host = plan.execute(b);
    float* d_in = nullptr;
    float* d_out = nullptr;
    REQUIRE(cudaMalloc(&d_in, b.size() * sizeof(float)) == cudaSuccess);
    REQUIRE(cudaMalloc(&d_out, gpu.size() * sizeof(float)) == cudaSuccess);
    REQUIRE(cudaMemcpy(d_in, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
    for (int repeat = 0; repeat < 2; ++repeat)
      plan.execute(ConstBScanView{d_in, b.n_samples(), b.n_traces(), Memory::device},
                   BScanView{d_out, plan.n_z(), plan.n_x(), Memory::device});
    std::vector<float> back(host.size());
    REQUIRE(cudaMemcpy(back.data(), d_out, back.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
    cudaFree(d_in);
    cudaFree(d_out);
    CHECK(max_difference(back.data(), host.data(), host.size()) == 0.0);
  }
}

TEST_CASE("CUDA Kirchhoff plan takes device views and executes repeatedly", "[cuda][migration][kirchhoff]") {
  const auto s = survey(0.04, 0.03);
  const BScan b = make_point_diffractor_bscan(s, kPoints);
  const auto v = VelocityModel::constant(s.velocity());
  KirchhoffPlan plan(b.metadata, b.n_samples(), b.n_traces(), v, axis(), {}, Device::cuda);
  REQUIRE(plan.device() == Device::cuda);
  const DepthImage host = plan.execute(b);

  float* d_in = nullptr;
  float* d_out = nullptr;
  REQUIRE(cudaMalloc(&d_in, b.size() * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMalloc(&d_out, host.size() * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMemcpy(d_in, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
  for (int repeat = 0; repeat < 3; ++repeat)
    plan.execute(ConstBScanView{d_in, b.n_samples(), b.n_traces(), Memory::device},
                 BScanView{d_out, plan.n_z(), plan.n_x(), Memory::device});
  std::vector<float> back(host.size());
  REQUIRE(cudaMemcpy(back.data(), d_out, back.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
  cudaFree(d_in);
  cudaFree(d_out);
  CHECK(max_difference(back.data(), host.data(), host.size()) == 0.0);

  // A CPU plan refuses device views.
  KirchhoffPlan cpu_plan(b.metadata, b.n_samples(), b.n_traces(), v, axis(), {}, Device::cpu);
  DepthImage out(cpu_plan.n_z(), cpu_plan.n_x(), cpu_plan.grid(), v);
  const ConstBScanView device_view{b.data(), b.n_samples(), b.n_traces(), Memory::device};
  CHECK_THROWS_AS(cpu_plan.execute(device_view, out.view()), InvalidArgument);
}

TEST_CASE("CUDA Stolt agrees with the CPU and focuses the diffractors", "[cuda][migration][stolt]") {
  for (const double height : {0.0, 0.05}) {
    const auto s = survey(0.0, height);
    const BScan b = make_point_diffractor_bscan(s, kPoints);
    DepthAxis a = axis();
    a.z0 = 0.02;
    const DepthImage cpu = migrate_stolt(b, s.velocity(), a, {}, Device::cpu);
    const DepthImage gpu = migrate_stolt(b, s.velocity(), a, {}, Device::cuda);
    REQUIRE(gpu.size() == cpu.size());
    const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
    INFO("height " << height << ": max |GPU - CPU| = " << diff << ", peak " << peak(cpu));
    CHECK(diff <= 1e-3 * peak(cpu));
    check_truth(gpu);
  }
}

TEST_CASE("CUDA Stolt plan takes device views", "[cuda][migration][stolt]") {
  const auto s = survey(0.0, 0.0);
  const BScan b = make_point_diffractor_bscan(s, kPoints);
  StoltPlan plan(b.metadata, b.n_samples(), b.n_traces(), s.velocity(), axis(), {}, Device::cuda);
  const DepthImage host = plan.execute(b);
  float* d_in = nullptr;
  float* d_out = nullptr;
  REQUIRE(cudaMalloc(&d_in, b.size() * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMalloc(&d_out, host.size() * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMemcpy(d_in, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
  plan.execute(ConstBScanView{d_in, b.n_samples(), b.n_traces(), Memory::device},
               BScanView{d_out, plan.n_z(), plan.n_x(), Memory::device});
  std::vector<float> back(host.size());
  REQUIRE(cudaMemcpy(back.data(), d_out, back.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
  cudaFree(d_in);
  cudaFree(d_out);
  CHECK(max_difference(back.data(), host.data(), host.size()) <= 1e-6 * peak(host));
}

// A long profile pads to more traces than a CUDA grid has rows (65535): the
// kernels stride over them. 36000 traces pad to 72000; a short time window
// keeps the CPU reference quick. Diffractors every 0.9 m along the profile
// must each focus where they are, and the GPU must agree with the CPU.
TEST_CASE("CUDA Stolt migrates a profile of more padded traces than grid rows", "[cuda][migration][stolt][long]") {
  SyntheticSurvey s = survey(0.0, 0.0);
  s.n_samples = 160;
  s.n_traces = 36000;
  std::vector<PointDiffractor> points;
  for (int k = 0; k < 3; ++k) points.push_back({45.0 + 90.0 * k, 0.15, 1.0});
  const BScan b = make_point_diffractor_bscan(s, points);
  DepthAxis a;
  a.dz = 0.005;
  a.depth = 0.3;
  StoltPlan plan(b.metadata, b.n_samples(), b.n_traces(), s.velocity(), a, {}, Device::cuda);
  const DepthImage gpu = plan.execute(b);
  const DepthImage cpu = migrate_stolt(b, s.velocity(), a, {}, Device::cpu);
  REQUIRE(gpu.size() == cpu.size());
  const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
  INFO("max |GPU - CPU| = " << diff << ", peak " << peak(cpu));
  CHECK(diff <= 1e-3 * peak(cpu));
  for (const auto& p : points) {
    const Focus f = strongest_near(gpu, p.x, p.depth, 0.12);
    INFO("diffractor at x " << p.x << " focused at (" << f.x << ", " << f.depth << ")");
    CHECK(std::abs(f.x - p.x) <= gpu.grid.dx + 1e-9);
    CHECK(std::abs(f.depth - p.depth) <= gpu.grid.dz + 1e-9);
  }
}

TEST_CASE("CUDA phase shift and time-to-depth agree with the CPU", "[cuda][migration][phase_shift]") {
  for (const double height : {0.0, 0.05}) {
    const auto s = survey(0.0, height);
    const BScan b = make_point_diffractor_bscan(s, kPoints);
    const auto layered = VelocityModel::layered({0.0, 0.12}, {0.9 * s.velocity(), s.velocity()});
    const DepthImage cpu = migrate_phase_shift(b, layered, axis(), {}, Device::cpu);
    const DepthImage gpu = migrate_phase_shift(b, layered, axis(), {}, Device::cuda);
    REQUIRE(gpu.size() == cpu.size());
    // Both sum in double; the spectra come from cuFFT vs pocketfft (float).
    const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
    INFO("phase shift, height " << height << ": max |GPU - CPU| = " << diff << ", peak " << peak(cpu));
    CHECK(diff <= 1e-3 * peak(cpu));
    const auto v = VelocityModel::constant(s.velocity());
    const DepthImage t_cpu = time_to_depth(b, v, axis(), Device::cpu);
    const DepthImage t_gpu = time_to_depth(b, v, axis(), Device::cuda);
    // The same windowed-sinc taps in the same order: float rounding only.
    CHECK(max_difference(t_gpu.data(), t_cpu.data(), t_cpu.size()) <= 1e-5 * peak(t_cpu));
  }
}

// Tiled execution on the GPU: each tile gathers its traces plus the halo,
// filters (cuFFT, a batch as wide as tile + 2 halo), oversamples and sums its
// columns. Tiled vs untiled GPU: the same texture reads at the same sample
// positions (trace coordinates shift by whole texels), so only cuFFT's
// batch-size-dependent rounding can differ: bound 1e-5 of the peak. Tiled GPU
// vs CPU: the untiled tolerance, 2e-3 of the peak. Widths 1, one not dividing
// n_traces (7), and wider than the B-scan; layered v(z), offset, antenna
// height, with and without anti-aliasing; device views too.
TEST_CASE("CUDA Kirchhoff tiled execution equals untiled", "[cuda][migration][kirchhoff][tiled]") {
  auto s = survey(0.04, 0.03);
  s.upper_layer_thickness = 0.12;
  s.upper_layer_permittivity = 4.0;
  const BScan b = make_point_diffractor_bscan(s, kPoints);
  const auto model = VelocityModel::layered({0.0, 0.12}, {velocity_from_permittivity(4.0), s.velocity()});
  const std::size_t n = b.n_traces();
  for (const bool antialias : {false, true}) {
    KirchhoffOptions o;
    o.aperture = 0.15;
    o.antialias = antialias;
    const DepthImage cpu = migrate_kirchhoff(b, model, axis(), o, Device::cpu);
    KirchhoffPlan whole(b.metadata, b.n_samples(), n, model, axis(), o, Device::cuda);
    REQUIRE(whole.tile_traces() == n);
    const DepthImage reference = whole.execute(b);
    const double top = peak(reference);
    REQUIRE(top > 0.0);
    for (const std::size_t tile : {std::size_t{1}, std::size_t{7}, n + 5}) {
      o.tile_traces = tile;
      KirchhoffPlan tiled(b.metadata, b.n_samples(), n, model, axis(), o, Device::cuda);
      const DepthImage img = tiled.execute(b);
      REQUIRE(img.size() == reference.size());
      const double diff = max_difference(img.data(), reference.data(), img.size());
      const double to_cpu = max_difference(img.data(), cpu.data(), img.size());
      INFO("antialias " << antialias << ", tile " << tile << ": max |tiled - untiled| " << diff
                        << ", max |tiled GPU - CPU| " << to_cpu << ", peak " << top);
      CHECK(diff <= 1e-5 * top);
      CHECK(to_cpu <= 2e-3 * peak(cpu));

      float* d_in = nullptr;
      float* d_out = nullptr;
      REQUIRE(cudaMalloc(&d_in, b.size() * sizeof(float)) == cudaSuccess);
      REQUIRE(cudaMalloc(&d_out, img.size() * sizeof(float)) == cudaSuccess);
      REQUIRE(cudaMemcpy(d_in, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
      tiled.execute(ConstBScanView{d_in, b.n_samples(), n, Memory::device},
                    BScanView{d_out, tiled.n_z(), tiled.n_x(), Memory::device});
      std::vector<float> back(img.size());
      REQUIRE(cudaMemcpy(back.data(), d_out, back.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
      cudaFree(d_in);
      cudaFree(d_out);
      CHECK(max_difference(back.data(), img.data(), img.size()) == 0.0);
    }
  }
}

// PhaseShiftPlan on the GPU: cuFFT plans and buffers made once; executed on
// two B-scans (host and device views) it agrees with the CPU plan within the
// phase-shift tolerance (1e-3 of the peak) and repeats itself exactly.
TEST_CASE("CUDA phase-shift plan executes repeatedly and agrees with the CPU", "[cuda][migration][phase_shift]") {
  auto s = survey(0.0, 0.03);
  s.upper_layer_thickness = 0.12;
  s.upper_layer_permittivity = 4.0;
  const auto model = VelocityModel::layered({0.0, 0.12}, {velocity_from_permittivity(4.0), s.velocity()});
  const BScan first = make_point_diffractor_bscan(s, kPoints);
  const BScan second = make_point_diffractor_bscan(s, {{0.30, 0.15, 1.0}, {1.00, 0.40, -0.5}});
  PhaseShiftPlan gpu(first.metadata, first.n_samples(), first.n_traces(), model, axis(), {}, Device::cuda);
  PhaseShiftPlan cpu(first.metadata, first.n_samples(), first.n_traces(), model, axis(), {}, Device::cpu);
  REQUIRE(gpu.device() == Device::cuda);
  for (const BScan* b : {&first, &second, &first}) {
    const DepthImage g = gpu.execute(*b);
    const DepthImage c = cpu.execute(*b);
    REQUIRE(g.size() == c.size());
    const double diff = max_difference(g.data(), c.data(), c.size());
    INFO("max |GPU - CPU| = " << diff << ", peak " << peak(c));
    CHECK(diff <= 1e-3 * peak(c));
  }
  const DepthImage host = gpu.execute(second);
  float* d_in = nullptr;
  float* d_out = nullptr;
  REQUIRE(cudaMalloc(&d_in, second.size() * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMalloc(&d_out, host.size() * sizeof(float)) == cudaSuccess);
  REQUIRE(cudaMemcpy(d_in, second.data(), second.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
  for (int repeat = 0; repeat < 2; ++repeat)
    gpu.execute(ConstBScanView{d_in, second.n_samples(), second.n_traces(), Memory::device},
                BScanView{d_out, gpu.n_z(), gpu.n_x(), Memory::device});
  std::vector<float> back(host.size());
  REQUIRE(cudaMemcpy(back.data(), d_out, back.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
  cudaFree(d_in);
  cudaFree(d_out);
  CHECK(max_difference(back.data(), host.data(), host.size()) == 0.0);
}

// The GPU scan keeps the three B-scans on the device and reduces the images
// there; its focus curve must follow the CPU's (the Kirchhoff sums differ by
// up to 2e-3 of the peak, see the top of this file) and peak at the true
// velocity, as the CPU test in tests/cpu/test_velocity.cpp requires.
TEST_CASE("CUDA velocity scan agrees with the CPU and peaks at the true velocity", "[cuda][velocity]") {
  const auto s = survey(0.04, 0.0);
  const BScan b = make_point_diffractor_bscan(s, kPoints);
  std::vector<double> velocities;
  for (int i = 0; i < 15; ++i) velocities.push_back(0.08e9 + 0.006e9 * i);
  const VelocityScan cpu = velocity_scan(b, velocities, axis(), {}, Device::cpu);
  const VelocityScan gpu = velocity_scan(b, velocities, axis(), {}, Device::cuda);
  REQUIRE(gpu.focus.size() == cpu.focus.size());
  const double top = *std::max_element(cpu.focus.begin(), cpu.focus.end());
  for (std::size_t i = 0; i < cpu.focus.size(); ++i) {
    INFO("velocity " << velocities[i] << ": GPU " << gpu.focus[i] << ", CPU " << cpu.focus[i]);
    CHECK(std::abs(gpu.focus[i] - cpu.focus[i]) <= 1e-2 * top);
  }
  INFO("best: GPU " << gpu.best << ", CPU " << cpu.best << ", true " << s.velocity());
  CHECK(std::abs(gpu.best - s.velocity()) <= 0.03 * s.velocity());
}

// Antenna-offset correction on the GPU: the remap is the time-to-depth row
// kernel with the CPU's positions and taps (float rounding only: 1e-5 of the
// peak); the dip moveout after it is the CPU's log grid and filter through
// cuFFT instead of PocketFFT (2-D transforms of 1323 x 1250-1296 points per
// tile here: 1e-4 of the peak). The f-k plans remap into a device buffer of their own
// and then run unchanged, so the Stolt and phase-shift tolerances (1e-3 of
// the peak) hold, and the corrected images focus the shallow diffractors as
// on the CPU (tests/cpu/test_migration*.cpp: within one cell).
TEST_CASE("CUDA antenna-offset correction agrees with the CPU, host and device views",
          "[cuda][migration][offset][dip_moveout]") {
  for (const double height : {0.0, 0.03}) {
    for (const bool dmo : {false, true}) {
      auto s = survey(0.10, height);
      if (dmo) s.n_traces = 1400;  // two tiles of traces (1024 each)
      const BScan b = make_point_diffractor_bscan(s, {{0.45, 0.05, 1.0}, {0.85, 0.08, 1.0}, {0.6, 0.3, 1.0}});
      const auto v = VelocityModel::constant(s.velocity());
      OffsetCorrectionOptions options;
      options.dip_moveout = dmo;
      const BScan cpu = correct_antenna_offset(b, v, options, Device::cpu);
      const BScan gpu = correct_antenna_offset(b, v, options, Device::cuda);
      REQUIRE(gpu.size() == cpu.size());
      CHECK(gpu.metadata.antenna_offset == 0.0);
      const double top = peak(cpu);
      const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
      INFO("height " << height << (dmo ? ", NMO + DMO" : ", NMO") << ": max |GPU - CPU| = " << diff << ", peak "
                     << top);
      CHECK(diff <= (dmo ? 1e-4 : 1e-5) * top);
      float* d_in = nullptr;
      float* d_out = nullptr;
      REQUIRE(cudaMalloc(&d_in, b.size() * sizeof(float)) == cudaSuccess);
      REQUIRE(cudaMalloc(&d_out, b.size() * sizeof(float)) == cudaSuccess);
      REQUIRE(cudaMemcpy(d_in, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
      correct_antenna_offset(ConstBScanView{d_in, b.n_samples(), b.n_traces(), Memory::device}, b.metadata, v, options,
                             BScanView{d_out, b.n_samples(), b.n_traces(), Memory::device}, Device::cuda);
      std::vector<float> back(b.size());
      REQUIRE(cudaMemcpy(back.data(), d_out, back.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
      cudaFree(d_in);
      cudaFree(d_out);
      CHECK(max_difference(back.data(), gpu.data(), gpu.size()) == 0.0);
    }
  }
}

// The GPU keeps the other half of the 2-D spectrum (R2C along the traces);
// odd and even FFT lengths put the Nyquist rows and columns in different
// places, so the shapes below give an odd trace FFT (157 traces: 225 or 245),
// an even log-time FFT (600 samples on the ground: 1250), and a record that
// starts after time zero (first_sample 0), besides the shapes above.
TEST_CASE("CUDA dip moveout agrees with the CPU on odd and even FFT lengths", "[cuda][migration][offset][dip_moveout]") {
  struct Shape {
    std::size_t n_samples, n_traces;
    double t0, height;
  };
  const Shape shapes[] = {{640, 157, -0.5e-9, 0.0}, {640, 157, -0.5e-9, 0.03}, {600, 157, -0.5e-9, 0.0},
                          {600, 300, 1.0e-9, 0.0}};
  for (const auto& shape : shapes) {
    auto s = survey(0.10, shape.height);
    s.n_samples = shape.n_samples;
    s.n_traces = shape.n_traces;
    s.t0 = shape.t0;
    const BScan b = make_point_diffractor_bscan(s, {{0.45, 0.05, 1.0}, {0.9, 0.2, 1.0}});
    const auto v = VelocityModel::constant(s.velocity());
    const BScan cpu = correct_antenna_offset(b, v, Device::cpu);
    const BScan gpu = correct_antenna_offset(b, v, Device::cuda);
    const double top = peak(cpu);
    const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
    INFO(shape.n_samples << " x " << shape.n_traces << ", t0 " << shape.t0 << ", height " << shape.height
                         << ": max |GPU - CPU| = " << diff << ", peak " << top);
    CHECK(diff <= 1e-4 * top);
  }
}

TEST_CASE("CUDA Stolt and phase shift with the offset correction agree with the CPU and focus",
          "[cuda][migration][offset][stolt][phase_shift]") {
  const std::vector<PointDiffractor> shallow = {{0.45, 0.05, 1.0}, {0.85, 0.08, 1.0}};
  for (const double height : {0.0, 0.03}) {
    const auto s = survey(0.10, height);
    const BScan b = make_point_diffractor_bscan(s, shallow);
    const auto v = VelocityModel::constant(s.velocity());
    StoltPlan stolt_gpu(b.metadata, b.n_samples(), b.n_traces(), s.velocity(), axis(), {}, Device::cuda);
    PhaseShiftPlan ps_gpu(b.metadata, b.n_samples(), b.n_traces(), v, axis(), {}, Device::cuda);
    const DepthImage images[2][2] = {
        {migrate_stolt(b, s.velocity(), axis(), {}, Device::cpu), stolt_gpu.execute(b)},
        {migrate_phase_shift(b, v, axis(), {}, Device::cpu), ps_gpu.execute(b)}};
    for (int method = 0; method < 2; ++method) {
      const DepthImage& cpu = images[method][0];
      const DepthImage& gpu = images[method][1];
      REQUIRE(gpu.size() == cpu.size());
      const double diff = max_difference(gpu.data(), cpu.data(), cpu.size());
      INFO((method ? "phase shift" : "Stolt") << ", height " << height << ": max |GPU - CPU| = " << diff
                                              << ", peak " << peak(cpu));
      CHECK(diff <= 1e-3 * peak(cpu));
      for (const auto& p : shallow) {
        const Focus f = strongest_near(gpu, p.x, p.depth, 0.04);
        INFO("diffractor (" << p.x << ", " << p.depth << ") focused at (" << f.x << ", " << f.depth << ")");
        CHECK(std::abs(f.x - p.x) <= gpu.grid.dx + 1e-9);
        CHECK(std::abs(f.depth - p.depth) <= gpu.grid.dz + 1e-9);
      }
    }
    // Device views, executed twice (the plans' remap buffer is reused).
    float* d_in = nullptr;
    float* d_out = nullptr;
    REQUIRE(cudaMalloc(&d_in, b.size() * sizeof(float)) == cudaSuccess);
    REQUIRE(cudaMalloc(&d_out, images[0][1].size() * sizeof(float)) == cudaSuccess);
    REQUIRE(cudaMemcpy(d_in, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
    const ConstBScanView in{d_in, b.n_samples(), b.n_traces(), Memory::device};
    const BScanView out{d_out, stolt_gpu.n_z(), stolt_gpu.n_x(), Memory::device};
    std::vector<float> back(images[0][1].size());
    for (int method = 0; method < 2; ++method) {
      for (int repeat = 0; repeat < 2; ++repeat) {
        if (method == 0) stolt_gpu.execute(in, out);
        else ps_gpu.execute(in, out);
      }
      REQUIRE(cudaMemcpy(back.data(), d_out, back.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
      const DepthImage& host = images[method][1];
      INFO((method ? "phase shift" : "Stolt") << ", height " << height << ": device views vs host views");
      CHECK(max_difference(back.data(), host.data(), host.size()) <= 1e-6 * peak(host));
    }
    cudaFree(d_in);
    cudaFree(d_out);
  }
}
