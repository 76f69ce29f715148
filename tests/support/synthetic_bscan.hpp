#pragma once
// Analytic point-diffractor B-scans for truth tests: a Ricker wavelet placed
// on the exact travel time of each diffractor, for zero or common offset, with
// the antenna on or above a flat ground of known relative permittivity.
//
// The travel time is computed here independently of the library: each leg
// (antenna -> diffractor) minimises hypot(a, H) / c + hypot(h - a, z) / v over
// the refraction point a by golden-section search (Fermat's principle).
// Wavelet: migration inverts the exploding-reflector model; in 2-D a point
// reflector of wavelet R exploding at t = 0 records, along its hyperbola, the
// half-derivative (i w)^(1/2) R (the time derivative of the 2-D Green's
// function, whose front is a half-integral). With `line_diffractor` (the
// default) the maker places that half-derivative of the Ricker (computed by
// quadrature), so a correct 2-D migration returns the zero-phase Ricker at
// the diffractor; without it, the plain Ricker.
// Geometry as BScanMetadata: trace j's midpoint is x0 + j dx, the transmitter
// at midpoint - offset / 2, the receiver at midpoint + offset / 2; time zero is
// the instant the wavelet's peak leaves the transmitter.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"

namespace gprproc_test {

struct PointDiffractor {
  double x = 0.0;      // m
  double depth = 0.0;  // m below the ground surface
  double amplitude = 1.0;
};

struct SyntheticSurvey {
  std::size_t n_samples = 640;
  std::size_t n_traces = 128;
  double dt = 0.025e-9;  // s
  double t0 = -0.5e-9;   // s, time of sample 0
  double dx = 0.01;      // m
  double x0 = 0.0;       // m
  double antenna_offset = 0.0;
  double antenna_height = 0.0;
  double relative_permittivity = 6.25;
  double frequency = 1.0e9;  // Hz, Ricker peak frequency
  // Optional upper ground layer (antenna on the ground only): eps_r
  // `upper_layer_permittivity` from the surface down to `upper_layer_thickness`,
  // `relative_permittivity` below. 0 thickness: a uniform ground.
  double upper_layer_thickness = 0.0;
  double upper_layer_permittivity = 0.0;
  bool line_diffractor = true;  // 2-D exploding-reflector response: half-differentiated Ricker

  double velocity() const { return 299792458.0 / std::sqrt(relative_permittivity); }
  gprproc::BScanMetadata metadata() const {
    gprproc::BScanMetadata m;
    m.dt = dt;
    m.t0 = t0;
    m.dx = dx;
    m.x0 = x0;
    m.antenna_offset = antenna_offset;
    m.antenna_height = antenna_height;
    m.center_frequency = frequency;
    m.component = "synthetic";
    m.source = "tests/support/synthetic_bscan.hpp";
    return m;
  }
};

inline double ricker(double tau, double frequency) {
  const double a = 3.14159265358979323846 * frequency * tau;
  return (1.0 - 2.0 * a * a) * std::exp(-a * a);
}

// Fermat time (s) of a ray through two media: `top` thick at velocity
// v_top, then down `depth` into the lower medium at v_bottom, `lateral` away
// horizontally; the crossing point minimises the time (golden section).
inline double two_media_time(double lateral, double depth, double top, double v_top, double v_bottom) {
  const double h = std::abs(lateral);
  auto time = [&](double a) { return std::hypot(a, top) / v_top + std::hypot(h - a, depth) / v_bottom; };
  if (top <= 0.0) return time(0.0);
  double lo = 0.0, hi = h;
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  for (int i = 0; i < 200 && hi - lo > 1e-14; ++i) {
    const double a1 = hi - g * (hi - lo), a2 = lo + g * (hi - lo);
    if (time(a1) < time(a2)) hi = a2; else lo = a1;
  }
  return time(0.5 * (lo + hi));
}

// Time (s) from an antenna `height` above the ground to a point `depth` below
// it, `lateral` away horizontally, ground velocity v.
inline double leg_time(double lateral, double depth, double height, double v) {
  return two_media_time(lateral, depth, height, 299792458.0, v);
}

inline double diffraction_time(const SyntheticSurvey& s, std::size_t trace, const PointDiffractor& d) {
  const double mid = s.x0 + s.dx * static_cast<double>(trace);
  const double v = s.velocity();
  const double tx = mid - 0.5 * s.antenna_offset - d.x, rx = mid + 0.5 * s.antenna_offset - d.x;
  if (s.upper_layer_thickness > 0.0) {
    const double v_top = 299792458.0 / std::sqrt(s.upper_layer_permittivity);
    if (d.depth <= s.upper_layer_thickness) return (std::hypot(tx, d.depth) + std::hypot(rx, d.depth)) / v_top;
    const double below = d.depth - s.upper_layer_thickness;
    return two_media_time(tx, below, s.upper_layer_thickness, v_top, v) +
           two_media_time(rx, below, s.upper_layer_thickness, v_top, v);
  }
  return leg_time(tx, d.depth, s.antenna_height, v) + leg_time(rx, d.depth, s.antenna_height, v);
}

// The Ricker's causal half-integral (1 / sqrt(pi)) int_0^inf 2 R(tau - u^2) du
// (u^2 = tau - s removes the singularity), tabulated from -3 / f on a grid of
// `step`; 0 before, and past the table's end (its tail decays as tau^-1.5).
class HalfIntegratedRicker {
 public:
  HalfIntegratedRicker(double frequency, double step, double length)
      : start_(-3.0 / frequency), step_(step) {
    const std::size_t n = static_cast<std::size_t>(length / step) + 2;
    table_.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      const double tau = start_ + step * static_cast<double>(k);
      // The Ricker is negligible (< 1e-30) more than 3 / f from its peak:
      // integrate only over the u where tau - u^2 lies within that band.
      const double u_lo = std::sqrt(std::max(0.0, tau - 3.0 / frequency));
      const double u_hi = std::sqrt(std::max(0.0, tau + 3.0 / frequency));
      const int m = 400;
      const double du = (u_hi - u_lo) / m;
      double sum = 0.0;
      for (int q = 0; q <= m; ++q) {
        const double u = u_lo + du * q;
        sum += (q == 0 || q == m ? 0.5 : 1.0) * ricker(tau - u * u, frequency);
      }
      table_[k] = 2.0 * sum * du / std::sqrt(3.14159265358979323846);
    }
  }
  // Its time derivative: the half-derivative of the Ricker.
  double derivative(double tau) const {
    const double h = step_;
    return ((*this)(tau + h) - (*this)(tau - h)) / (2.0 * h);
  }
  double operator()(double tau) const {
    const double pos = (tau - start_) / step_;
    if (pos < 0.0 || pos >= static_cast<double>(table_.size() - 1)) return 0.0;
    const std::size_t k = static_cast<std::size_t>(pos);
    const double f = pos - static_cast<double>(k);
    return table_[k] + f * (table_[k + 1] - table_[k]);
  }

 private:
  double start_, step_;
  std::vector<double> table_;
};

inline gprproc::BScan make_point_diffractor_bscan(const SyntheticSurvey& s, const std::vector<PointDiffractor>& points) {
  gprproc::BScan b(s.n_samples, s.n_traces, s.metadata());
  const double span = s.dt * static_cast<double>(s.n_samples);
  const HalfIntegratedRicker line_wavelet(s.frequency, s.dt / 8.0, s.line_diffractor ? span + 3.0 / s.frequency : 0.0);
  for (std::size_t j = 0; j < s.n_traces; ++j)
    for (const auto& d : points) {
      const double t = diffraction_time(s, j, d);
      for (std::size_t i = 0; i < s.n_samples; ++i) {
        const double tau = s.t0 + s.dt * static_cast<double>(i) - t;
        const double w = s.line_diffractor ? line_wavelet.derivative(tau) / std::sqrt(2.0 * 3.14159265358979323846 * s.frequency) : ricker(tau, s.frequency);
        b(i, j) += static_cast<float>(d.amplitude * w);
      }
    }
  return b;
}

}  // namespace gprproc_test
