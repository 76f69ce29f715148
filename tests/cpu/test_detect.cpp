// Target detection against synthetic depth images whose targets are known:
// focused wavelets (a Ricker pulse along depth, Gaussian across) at given
// positions in Gaussian noise of known sigma.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gprproc/detail/detect_math.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/error.hpp"

using namespace gprproc;

namespace {

struct Blob {
  double x, depth, amplitude;
};

// 200 rows (dz 2 mm from 0) x 120 columns (dx 1 cm from 0.1 m).
DepthImage synthetic_image(const std::vector<Blob>& blobs, double noise_sigma, unsigned seed = 7) {
  ImageGrid grid;
  grid.dz = 0.002;
  grid.dx = 0.01;
  grid.x0 = 0.1;
  DepthImage img(200, 120, grid, VelocityModel::constant(1e8));
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, noise_sigma);
  const double half_width = 0.02, pulse = 0.012;  // m: lateral and depth scales of a focus
  for (std::size_t i = 0; i < img.n_z(); ++i)
    for (std::size_t j = 0; j < img.n_x(); ++j) {
      double v = noise_sigma > 0 ? noise(rng) : 0.0;
      for (const Blob& b : blobs) {
        const double u = (grid.depth_of_row(i) - b.depth) / pulse;
        const double w = (grid.position_of_column(j) - b.x) / half_width;
        v += b.amplitude * (1 - 2 * u * u) * std::exp(-u * u) * std::exp(-w * w);  // Ricker peak at the target
      }
      img(i, j) = float(v);
    }
  return img;
}

}  // namespace

TEST_CASE("detect finds isolated targets at their positions, strongest first", "[detect]") {
  const std::vector<Blob> blobs{{0.40, 0.10, 1.0}, {0.90, 0.25, -0.6}, {0.70, 0.05, 0.4}};
  const DepthImage img = synthetic_image(blobs, 0.01);
  const Detection d = detect(img, {}, Device::cpu);
  REQUIRE(d.targets.size() == 3);
  // Order by amplitude: 1.0, 0.6 (negative polarity: the envelope does not care), 0.4.
  for (std::size_t k = 0; k < 3; ++k) {
    INFO("target " << k << " at (" << d.targets[k].x << ", " << d.targets[k].depth << ")");
    CHECK(d.targets[k].x == Approx(blobs[k].x).margin(0.0101));
    CHECK(d.targets[k].depth == Approx(blobs[k].depth).margin(0.0041));
    CHECK(d.targets[k].amplitude == Approx(std::abs(blobs[k].amplitude)).epsilon(0.15));
  }
  // The envelope of the noise alone is Rayleigh distributed with scale about
  // sigma: its median is ~1.18 sigma, so the level sits far below a target.
  CHECK(d.background_median < 0.05);
  CHECK(d.targets[0].snr > d.targets[1].snr);
  CHECK(d.targets[2].snr > 8.0);
}

TEST_CASE("detect reports nothing in pure noise at the default threshold", "[detect]") {
  // The Rayleigh envelope exceeds median + 8 * 1.4826 MAD (about 6.5 sigma)
  // with probability ~1e-9 per pixel: none of 24000.
  for (unsigned seed : {1u, 2u, 3u}) {
    const Detection d = detect(synthetic_image({}, 1.0, seed), {}, Device::cpu);
    CHECK(d.targets.empty());
  }
}

TEST_CASE("detect keeps targets min_separation apart and honours the search window", "[detect]") {
  // Two foci 6 cm apart at the same depth.
  const DepthImage img = synthetic_image({{0.50, 0.15, 1.0}, {0.56, 0.15, 0.8}}, 0.005);
  DetectOptions o;
  o.min_separation = 0.10;
  Detection d = detect(img, o, Device::cpu);
  REQUIRE(d.targets.size() == 1);
  CHECK(d.targets[0].x == Approx(0.50).margin(0.0101));
  // Closer spacing allowed: both foci (the weak shoulders of their envelopes
  // are cut by a relative threshold).
  o.min_separation = 0.05;
  o.relative_threshold = 0.3;
  d = detect(img, o, Device::cpu);
  REQUIRE(d.targets.size() == 2);
  CHECK(d.targets[0].x == Approx(0.50).margin(0.0101));
  CHECK(d.targets[1].x == Approx(0.56).margin(0.0101));

  // A search window below both removes them; an edge margin removes a target near the end.
  o.min_depth = 0.25;
  CHECK(detect(img, o, Device::cpu).targets.empty());
  const DepthImage edge = synthetic_image({{0.12, 0.15, 1.0}, {0.8, 0.2, 1.0}}, 0.005);
  DetectOptions e;
  e.edge_margin = 0.05;
  d = detect(edge, e, Device::cpu);
  REQUIRE(d.targets.size() == 1);
  CHECK(d.targets[0].x == Approx(0.8).margin(0.0101));
  e.max_targets = 1;
  e.edge_margin = 0;
  CHECK(detect(edge, e, Device::cpu).targets.size() == 1);
}

TEST_CASE("detect: the relative threshold drops weak foci", "[detect]") {
  const DepthImage img = synthetic_image({{0.40, 0.10, 1.0}, {0.90, 0.25, 0.2}}, 0.002);
  DetectOptions o;
  CHECK(detect(img, o, Device::cpu).targets.size() == 2);
  o.relative_threshold = 0.5;
  const Detection d = detect(img, o, Device::cpu);
  REQUIRE(d.targets.size() == 1);
  CHECK(d.targets[0].x == Approx(0.40).margin(0.0101));
}

TEST_CASE("is_peak: a plateau gives one maximum, a level gates it", "[detect]") {
  // 3 x 4 image with a flat top of two equal pixels.
  const std::vector<float> e{0, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0};
  int peaks = 0;
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) peaks += detail::is_peak(e.data(), 3, 4, i, j, 1.0f) ? 1 : 0;
  CHECK(peaks == 1);
  CHECK_FALSE(detail::is_peak(e.data(), 3, 4, 1, 1, 6.0f));
  CHECK(detail::signal_to_noise(10.0, 2.0, 4.0) == Approx(2.0));
}

TEST_CASE("detect rejects bad options and images, naming the problem", "[detect][errors]") {
  const DepthImage img = synthetic_image({{0.4, 0.1, 1.0}}, 0.0);
  DetectOptions o;
  o.threshold = -1;
  CHECK_THROWS_WITH(detect(img, o, Device::cpu), Catch::Contains("threshold"));
  o = {};
  o.min_separation = 0;
  CHECK_THROWS_WITH(detect(img, o, Device::cpu), Catch::Contains("min_separation"));
  o = {};
  o.min_depth = 0.3;
  o.max_depth = 0.2;
  CHECK_THROWS_WITH(detect(img, o, Device::cpu), Catch::Contains("max_depth"));
  o = {};
  o.min_depth = 5.0;  // below the image
  CHECK_THROWS_WITH(detect(img, o, Device::cpu), Catch::Contains("search window"));
  DepthImage bad = img;
  bad(3, 4) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(detect(bad, {}, Device::cpu), InvalidArgument);
  CHECK_THROWS_AS(detect(DepthImage{}, {}, Device::cpu), InvalidArgument);
}
