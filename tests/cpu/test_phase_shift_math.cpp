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

namespace {

// Every group of Rows rows of the column against the sum evaluated row by
// row; counts the components that reach a row and those cut off.
template <int kRows>
void check_groups(const Layers& L, const std::vector<float>& spectrum, int nt, double dt, double t0, double height,
                  double magnitude, int& reached, int& dropped) {
  const double two_pi = 2.0 * 3.14159265358979323846;
  // kx from vertical to beyond the air's cut-off at the top frequencies.
  for (const double kx : {0.0, 35.0, 120.0, 260.0, 700.0}) {
    for (int first = 0; first < L.rows; first += kRows) {
      const int count = std::min(kRows, L.rows - first);
      double sum_re[kRows] = {}, sum_im[kRows] = {};
      phase_shift_group<kRows>(spectrum.data(), nt, dt, kx, t0, height, L.thickness.data(), L.half_velocity.data(),
                               L.n(), first, count, sum_re, sum_im);
      for (int r = 0; r < count; ++r) {
        double re = 0.0, im = 0.0;
        for (int k = 1; 2 * k < nt; ++k) {
          const double omega = two_pi * k / (nt * dt);
          const double datum = air_datum_phase(omega, kx, height);
          const Term t = datum < 0.0 ? Term{} : direct(L, omega, kx, -omega * t0 + datum, spectrum[2 * k],
                                                       spectrum[2 * k + 1], first + r);
          (t.reached ? reached : dropped) += 1;
          re += t.re;
          im += t.im;
        }
        INFO(kRows << " rows per group, kx " << kx << ", row " << first + r);
        CHECK(std::abs(sum_re[r] - re) <= 1e-9 * magnitude);
        CHECK(std::abs(sum_im[r] - im) <= 1e-9 * magnitude);
      }
    }
  }
}

}  // namespace

TEST_CASE("phase_shift_group (the CUDA kernel's thread) equals the phase-shift sum evaluated row by row",
          "[migration][phase_shift]") {
  // A column of 129 frequency bins (nt 256, dt 25 ps) of made-up complex
  // values, the antenna 3 cm up, t0 -0.3 ns, three layers over 300 rows of
  // 2 mm. Groups of 16 rows (the kernel's default: 18 full groups and a last
  // one of 12), and of 4 and 1 (GPRPROC_CUDA_PHASE_SHIFT_ROWS). For every
  // group, each row's sum must equal sum_k d_k exp(i (phase(row) - w t0 + air
  // datum)) over the components that reach the row, within 1e-9 of sum_k |d_k|.
  const double c = 299792458.0;
  const Layers L = make_layers({0.0, 0.15, 0.32}, {c / 2.0, c / 4.0, c / 2.5}, 300, 0.002, -0.01);
  const int nt = 256;
  const double dt = 25e-12, t0 = -0.3e-9, height = 0.03;
  std::vector<float> spectrum(2 * (nt / 2 + 1));
  double magnitude = 0.0;
  for (std::size_t i = 0; i < spectrum.size(); ++i) {
    spectrum[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i) + 0.2) * (1.0 + 0.01 * i));
    magnitude += std::abs(spectrum[i]);
  }
  int reached = 0, dropped = 0;
  check_groups<16>(L, spectrum, nt, dt, t0, height, magnitude, reached, dropped);
  check_groups<4>(L, spectrum, nt, dt, t0, height, magnitude, reached, dropped);
  check_groups<1>(L, spectrum, nt, dt, t0, height, magnitude, reached, dropped);
  CHECK(reached > 30000);  // both regimes occur
  CHECK(dropped > 30000);
}
