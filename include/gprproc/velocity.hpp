#pragma once
// Velocity analysis: a least-squares hyperbola fit to picked diffraction
// arrivals, and a migration velocity scan with a focusing measure per
// velocity. (Permittivity <-> velocity: velocity_model.hpp.) Formulas and what
// the measures find on real data: docs/MIGRATION.md.
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/migration.hpp"

namespace gprproc {

// One picked arrival: trace midpoint x (m) and two-way time t (s, on the
// B-scan's clock, so t0 already accounts for time zero).
struct Pick {
  double x = 0.0;
  double t = 0.0;
};

struct HyperbolaFit {
  double velocity = 0.0;    // m/s, in the ground
  double apex_x = 0.0;      // m
  double apex_depth = 0.0;  // m below the ground surface (of the centre, when target_radius > 0)
  double apex_time = 0.0;   // s, two-way time at the apex (offset and antenna height included)
  double rms_residual = 0.0;  // s
  std::size_t iterations = 0;
};

// Fits a point diffractor's travel-time curve
//   t(x) = T(x - a/2 - x_apex, z) + T(x + a/2 - x_apex, z) - 2 r / v
// (T: one leg, with refraction at the surface when the antenna is `height`
// above it; a the antenna offset; r the radius of a round target such as a
// pipe or rebar, whose echo comes from its surface, r / v short of its centre
// on each leg: exact for zero offset in a uniform ground, close for small
// offsets) to the picks, for (velocity, apex_x, z), by Levenberg-Marquardt
// from the zero-offset parabola fit of t^2 against x.
// Needs at least 3 picks at 3 different x, all finite; throws InvalidArgument.
HyperbolaFit fit_hyperbola(const std::vector<Pick>& picks, double antenna_offset = 0.0, double antenna_height = 0.0,
                           double target_radius = 0.0);

// The most velocities one scan takes (each costs three migrations).
constexpr std::size_t max_scan_velocities = 10000;

struct VelocityScanOptions {
  KirchhoffOptions kirchhoff;  // aperture, angle, taper, oversampling of the scan's migrations
};

struct VelocityScan {
  std::vector<double> velocities;  // m/s, as given
  std::vector<double> focus;       // the focusing measure per velocity (0 .. 1)
  std::size_t best_index = 0;
  double best = 0.0;  // m/s: the best velocity, refined by a parabola through the peak and its neighbours
};

// Migrates at each velocity (a Kirchhoff plan per velocity, no rho filter, no
// obliquity weights) three times: the data (stack A = sum_m w d_m), their
// squares (E = sum_m w d_m^2) and ones (W = sum_m w), w the aperture weights.
// Each pixel's semblance A^2 / (W E) (in [0, 1]: 1 when every trace along the
// trial diffraction curve holds the same value) is averaged with the stack
// energy A^2 as weight:
//   focus = sum_pixels A^2 * semblance / sum_pixels A^2,
// so the measure follows the strong, coherent pixels (the targets) rather
// than the incoherent rest. Remove the background (direct wave, ground
// bounce) first; restrict the depth axis to the targets' depths.
VelocityScan velocity_scan(const BScan& in, const std::vector<double>& velocities, const DepthAxis& depth_axis,
                           const VelocityScanOptions& options = {}, Device device = Device::automatic);

}  // namespace gprproc
