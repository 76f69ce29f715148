#pragma once
// Analytic 3-D point-diffractor cubes for the 3-D migration truth tests: a
// wavelet placed on the exact common-offset travel time of each diffractor
// for every trace of every line, antenna on or above a flat ground of one or
// two layers.
//
// The travel time is computed here independently of the library: each leg
// (antenna -> diffractor) minimises the path time over the point where the
// ray crosses the interface (the ground surface, or the boundary between two
// ground layers; with a lifted antenna over two layers, over both crossing
// points, see fermat_time_three) by a numerical search in both horizontal coordinates
// (nested golden sections: the path time is a sum of two Euclidean lengths,
// convex in the crossing point, so its minimum over a box is found by them;
// the box is the one spanned by the antenna's and the diffractor's
// horizontal positions, which holds the minimiser).
// Wavelet: in 3-D a point reflector exploding at t = 0 records the time
// derivative of its wavelet (the 3-D Green's function is a delta front), so
// the maker places d/dt Ricker (normalised by 2 pi f); a correct 3-D
// migration then returns the zero-phase, positive Ricker at the diffractor.
// Geometry as CubeMetadata: trace i of line j has its midpoint at
// (x0 + i dx, y0 + j dy); the transmitter at midpoint - offset/2 along x,
// the receiver at midpoint + offset/2.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "gprproc/cube.hpp"

namespace gprproc_test {

struct PointDiffractor3D {
  double x = 0.0, y = 0.0;  // m
  double depth = 0.0;       // m below the ground surface
  double amplitude = 1.0;
};

struct SyntheticCube {
  std::size_t n_lines = 21, n_samples = 260, n_traces = 41;
  double dt = 0.05e-9;  // s
  double t0 = -1.0e-9;  // s
  double dx = 0.02, dy = 0.02, x0 = 0.0, y0 = 0.0;  // m
  double antenna_offset = 0.0, antenna_height = 0.0;  // m
  double relative_permittivity = 9.0;  // of the ground (of the lower layer with two layers)
  double frequency = 0.8e9;            // Hz, Ricker peak frequency
  // Optional upper ground layer: eps_r upper_layer_permittivity down to
  // upper_layer_thickness (with a lifted antenna too: three media).
  double upper_layer_thickness = 0.0;
  double upper_layer_permittivity = 0.0;

  double velocity() const { return 299792458.0 / std::sqrt(relative_permittivity); }
  double upper_velocity() const { return 299792458.0 / std::sqrt(upper_layer_permittivity); }
  gprproc::CubeMetadata metadata() const {
    gprproc::CubeMetadata m;
    m.line.dt = dt;
    m.line.t0 = t0;
    m.line.dx = dx;
    m.line.x0 = x0;
    m.line.antenna_offset = antenna_offset;
    m.line.antenna_height = antenna_height;
    m.line.center_frequency = frequency;
    m.line.component = "synthetic";
    m.line.source = "tests/support/synthetic_cube.hpp";
    m.dy = dy;
    m.y0 = y0;
    return m;
  }
};

// Minimum over u in [lo, hi] of a convex f, by golden section.
template <class F>
double golden_minimum(F&& f, double lo, double hi, double* at = nullptr) {
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double a = lo, b = hi;
  for (int i = 0; i < 90 && b - a > 1e-10; ++i) {
    const double u1 = b - g * (b - a), u2 = a + g * (b - a);
    if (f(u1) < f(u2)) b = u2; else a = u1;
  }
  const double u = 0.5 * (a + b);
  if (at) *at = u;
  return f(u);
}

// Fermat time (s) from a point `top` above an interface (horizontal position
// (0, 0), velocity v_top) to a point `bottom` below it at horizontal position
// (hx, hy) (velocity v_bottom): the minimum over the crossing point (a, b).
inline double fermat_time(double hx, double hy, double top, double v_top, double bottom, double v_bottom) {
  auto time = [&](double a, double b) {
    return std::sqrt(a * a + b * b + top * top) / v_top +
           std::sqrt((hx - a) * (hx - a) + (hy - b) * (hy - b) + bottom * bottom) / v_bottom;
  };
  if (top <= 0.0) return time(0.0, 0.0);
  const double a_lo = std::min(0.0, hx), a_hi = std::max(0.0, hx);
  const double b_lo = std::min(0.0, hy), b_hi = std::max(0.0, hy);
  auto over_a = [&](double b) { return golden_minimum([&](double a) { return time(a, b); }, a_lo, a_hi); };
  return golden_minimum(over_a, b_lo, b_hi);
}

// Fermat time (s) through three media, air (`height`, c), the upper ground
// layer (`top` thick, v_top) and the lower one (`bottom` below its top,
// v_bottom), to a point `h` away horizontally: the minimum over the two
// crossing points a1 (surface) and a2 (layer boundary), measured along the
// horizontal line from the antenna to the point (a ray of least time stays in
// the vertical plane through both ends: any sideways excursion lengthens
// every segment). The time is convex in (a1, a2): nested golden sections.
inline double fermat_time_three(double h, double height, double top, double v_top, double bottom, double v_bottom) {
  const double c = 299792458.0;
  auto time = [&](double a1, double a2) {
    return std::sqrt(a1 * a1 + height * height) / c + std::sqrt((a2 - a1) * (a2 - a1) + top * top) / v_top +
           std::sqrt((h - a2) * (h - a2) + bottom * bottom) / v_bottom;
  };
  auto over_a1 = [&](double a2) { return golden_minimum([&](double a1) { return time(a1, a2); }, 0.0, a2); };
  return golden_minimum(over_a1, 0.0, h);
}

// One leg: antenna at horizontal (ax, ay) to the diffractor.
inline double leg_time_3d(const SyntheticCube& s, double ax, double ay, const PointDiffractor3D& d) {
  const double hx = d.x - ax, hy = d.y - ay;
  if (s.upper_layer_thickness > 0.0 && s.antenna_height > 0.0) {
    const double h = std::sqrt(hx * hx + hy * hy);
    if (d.depth <= s.upper_layer_thickness)
      return fermat_time(hx, hy, s.antenna_height, 299792458.0, d.depth, s.upper_velocity());
    return fermat_time_three(h, s.antenna_height, s.upper_layer_thickness, s.upper_velocity(),
                             d.depth - s.upper_layer_thickness, s.velocity());
  }
  if (s.upper_layer_thickness > 0.0) {
    if (d.depth <= s.upper_layer_thickness) return std::sqrt(hx * hx + hy * hy + d.depth * d.depth) / s.upper_velocity();
    return fermat_time(hx, hy, s.upper_layer_thickness, s.upper_velocity(), d.depth - s.upper_layer_thickness,
                       s.velocity());
  }
  return fermat_time(hx, hy, s.antenna_height, 299792458.0, d.depth, s.velocity());
}

inline double diffraction_time_3d(const SyntheticCube& s, std::size_t line, std::size_t trace,
                                  const PointDiffractor3D& d) {
  const double mx = s.x0 + s.dx * static_cast<double>(trace), my = s.y0 + s.dy * static_cast<double>(line);
  return leg_time_3d(s, mx - 0.5 * s.antenna_offset, my, d) + leg_time_3d(s, mx + 0.5 * s.antenna_offset, my, d);
}

// d/dt of the Ricker (1 - 2 a^2) exp(-a^2), a = pi f tau, over 2 pi f.
inline double ricker_derivative(double tau, double frequency) {
  const double pf = 3.14159265358979323846 * frequency;
  const double a = pf * tau;
  const double derivative = pf * (-4.0 * a - 2.0 * a * (1.0 - 2.0 * a * a)) * std::exp(-a * a);
  return derivative / (2.0 * 3.14159265358979323846 * frequency);
}

inline gprproc::Cube make_point_diffractor_cube(const SyntheticCube& s, const std::vector<PointDiffractor3D>& points) {
  gprproc::Cube c(s.n_lines, s.n_samples, s.n_traces, s.metadata());
  for (std::size_t j = 0; j < s.n_lines; ++j)
    for (std::size_t i = 0; i < s.n_traces; ++i)
      for (const auto& d : points) {
        const double t = diffraction_time_3d(s, j, i, d);
        for (std::size_t q = 0; q < s.n_samples; ++q) {
          const double tau = s.t0 + s.dt * static_cast<double>(q) - t;
          c(j, q, i) += static_cast<float>(d.amplitude * ricker_derivative(tau, s.frequency));
        }
      }
  return c;
}

struct Focus3D {
  std::size_t line = 0, row = 0, column = 0;
  double x = 0.0, y = 0.0, depth = 0.0, value = 0.0;  // value: signed
};

// Strongest |pixel| within `radius` (m, in x, y and depth) of (x, y, depth).
inline Focus3D strongest_near(const gprproc::DepthImage3D& img, double x, double y, double depth, double radius) {
  Focus3D best;
  double magnitude = -1.0;
  const auto& g = img.grid;
  for (std::size_t j = 0; j < img.n_lines(); ++j)
    for (std::size_t r = 0; r < img.n_z(); ++r)
      for (std::size_t i = 0; i < img.n_x(); ++i) {
        const double yy = g.position_of_line(j), zz = g.plane.depth_of_row(r), xx = g.plane.position_of_column(i);
        if (std::abs(yy - y) > radius || std::abs(zz - depth) > radius || std::abs(xx - x) > radius) continue;
        const double v = img(j, r, i);
        if (std::abs(v) > magnitude) {
          magnitude = std::abs(v);
          best = {j, r, i, xx, yy, zz, v};
        }
      }
  return best;
}

}  // namespace gprproc_test
