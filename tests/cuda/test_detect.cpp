// Detection on the GPU: the same targets as the CPU backend (host and device
// views), and the same background statistics within float rounding.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "gprproc/detect.hpp"
#include "preprocessing_device.hpp"

using namespace gprproc;

namespace {
DepthImage image_with_targets() {
  ImageGrid grid;
  grid.dz = 0.002;
  grid.dx = 0.01;
  grid.x0 = 0.1;
  DepthImage img(256, 150, grid, VelocityModel::constant(1e8));
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0.0, 0.02);
  const double targets[3][3] = {{0.4, 0.1, 1.0}, {1.2, 0.3, -0.7}, {0.9, 0.05, 0.5}};
  for (std::size_t i = 0; i < img.n_z(); ++i)
    for (std::size_t j = 0; j < img.n_x(); ++j) {
      double v = noise(rng);
      for (const auto& t : targets) {
        const double u = (grid.depth_of_row(i) - t[1]) / 0.012, w = (grid.position_of_column(j) - t[0]) / 0.02;
        v += t[2] * (1 - 2 * u * u) * std::exp(-u * u) * std::exp(-w * w);
      }
      img(i, j) = float(v);
    }
  return img;
}
}  // namespace

TEST_CASE("CUDA detection finds the CPU's targets (host and device images)", "[cuda][detect]") {
  const DepthImage img = image_with_targets();
  DetectOptions o;
  o.min_depth = 0.01;
  o.edge_margin = 0.02;
  const Detection cpu = detect(img, o, Device::cpu);
  REQUIRE(cpu.targets.size() == 3);
  const Detection gpu = detect(img, o, Device::cuda);
  gprproc_test::DeviceBScan on_device(BScan(std::vector<float>(img.data(), img.data() + img.size()), img.n_z(),
                                            img.n_x(), BScanMetadata{}));
  const Detection gpu_device = detect(on_device.cview(), img.grid, o, Device::automatic);
  for (const Detection* d : {&gpu, &gpu_device}) {
    REQUIRE(d->targets.size() == cpu.targets.size());
    // Envelopes agree to float rounding of the two FFTs (1e-4 relative).
    CHECK(d->background_median == Approx(cpu.background_median).epsilon(1e-3));
    CHECK(d->background_sigma == Approx(cpu.background_sigma).epsilon(1e-3));
    for (std::size_t k = 0; k < cpu.targets.size(); ++k) {
      CHECK(d->targets[k].row == cpu.targets[k].row);
      CHECK(d->targets[k].column == cpu.targets[k].column);
      CHECK(d->targets[k].amplitude == Approx(cpu.targets[k].amplitude).epsilon(1e-4));
    }
  }
  // Against the truth too: the strongest target at (0.4 m, 0.1 m).
  CHECK(gpu.targets[0].x == Approx(0.4).margin(0.0101));
  CHECK(gpu.targets[0].depth == Approx(0.1).margin(0.0041));
}
