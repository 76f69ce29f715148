// The phase-shift continuation by rotations (detail/phase_shift_math.hpp)
// against the phase evaluated directly at every row (the layered sum of
// kz_l h_l): started at the surface, as the CPU runs it, and started afresh
// every 16 rows, as the CUDA kernel runs it, with evanescence inside the
// layers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "gprproc/detail/phase_shift_math.hpp"

using namespace gprproc::detail;

namespace {

struct Layers {
  std::vector<double> tops, half_velocity, thickness;  // thickness: (rows, layers)
  int rows = 0;
  int n() const { return static_cast<int>(tops.size()); }
};

// Thickness of each layer above each row, as the phase-shift plan tabulates it.
Layers make_layers(const std::vector<double>& tops, const std::vector<double>& velocities, int rows, double dz,
                   double z0) {
  Layers L;
  L.tops = tops;
  L.rows = rows;
  for (double v : velocities) L.half_velocity.push_back(0.5 * v);
  for (int i = 0; i < rows; ++i) {
    const double z = z0 + dz * i;
    for (std::size_t l = 0; l < tops.size(); ++l) {
      const double bottom = l + 1 < tops.size() ? tops[l + 1] : z;
      L.thickness.push_back(std::max(0.0, std::min(bottom, z) - tops[l]));
    }
  }
  return L;
}

struct Term {
  bool reached = false;
  double re = 0.0, im = 0.0;
};

// The term at rows [first, first + count) (within the table), continued from `first`.
std::vector<Term> continued(const Layers& L, double omega, double kx, double extra, float d_re, float d_im, int first,
                            int count) {
  count = std::min(count, L.rows - first);
  std::vector<Term> out(count);
  double re = 0.0, im = 0.0;
  if (!phase_shift_start(omega, kx, extra, d_re, d_im, L.thickness.data(), first, L.half_velocity.data(), L.n(), &re,
                         &im))
    return out;
  PhaseShiftRotation rotation;
  int cached_layer = -1;
  double cached_kz = 0.0;
  for (int r = 0; r < count; ++r) {
    if (r > 0) {
      double delta = 0.0;
      if (!phase_shift_row_step(omega, kx, L.thickness.data(), first + r, L.half_velocity.data(), L.n(), &cached_layer,
                                &cached_kz, &delta))
        break;
      rotation.rotate(delta, &re, &im);
    }
    out[r] = Term{true, re, im};
  }
  return out;
}

Term direct(const Layers& L, double omega, double kx, double extra, float d_re, float d_im, int row) {
  Term t;
  double phase = 0.0;
  if (!layered_phase(omega, kx, L.thickness.data() + static_cast<std::size_t>(row) * L.n(), L.half_velocity.data(),
                     L.n(), &phase))
    return t;
  phase += extra;
  t.reached = true;
  t.re = d_re * std::cos(phase) - d_im * std::sin(phase);
  t.im = d_re * std::sin(phase) + d_im * std::cos(phase);
  return t;
}

}  // namespace

TEST_CASE("Phase-shift rotations equal the directly evaluated phase, from the surface and per 16-row group",
          "[migration][phase_shift]") {
  const double c = 299792458.0;
  // Three layers (a slow one below a fast one), the image starting above the
  // first layer top (rows in the air have no phase), 300 rows of 2 mm.
  const Layers L = make_layers({0.0, 0.15, 0.32}, {c / 2.0, c / 4.0, c / 2.5}, 300, 0.002, -0.01);
  const double two_pi = 2.0 * 3.14159265358979323846;
  int evanescent_somewhere = 0, checked = 0;
  for (double f : {50e6, 400e6, 1.2e9, 3.1e9}) {
    const double omega = two_pi * f;
    // kx from vertical to past the slow layer's cut-off (omega / u), where the
    // wave dies inside the stack.
    for (double fraction : {0.0, 0.3, 0.55, 0.8, 0.97, 1.3, 1.9}) {
      const double kx = fraction * omega / L.half_velocity[0];
      const double extra = -omega * 1.3e-9 + 0.7;  // t0 and an air datum, as the plans add
      const float d_re = 0.8f, d_im = -0.35f;
      const auto whole = continued(L, omega, kx, extra, d_re, d_im, 0, L.rows);
      for (int group = 0; group < L.rows; group += 16) {
        const auto part = continued(L, omega, kx, extra, d_re, d_im, group, 16);
        for (int r = 0; r < static_cast<int>(part.size()); ++r) {
          const int row = group + r;
          const Term truth = direct(L, omega, kx, extra, d_re, d_im, row);
          INFO("f " << f << " Hz, kx fraction " << fraction << ", row " << row);
          REQUIRE(whole[row].reached == truth.reached);
          REQUIRE(part[r].reached == truth.reached);
          evanescent_somewhere += truth.reached ? 0 : 1;
          if (!truth.reached) continue;
          ++checked;
          // Up to 300 rotations in double: 1e-9 of the term's size.
          CHECK(std::abs(whole[row].re - truth.re) <= 1e-9);
          CHECK(std::abs(whole[row].im - truth.im) <= 1e-9);
          CHECK(std::abs(part[r].re - truth.re) <= 1e-9);
          CHECK(std::abs(part[r].im - truth.im) <= 1e-9);
        }
      }
    }
  }
  // The cases reach both regimes: propagating rows and rows cut off inside the stack.
  CHECK(checked > 1000);
  CHECK(evanescent_somewhere > 100);
}
