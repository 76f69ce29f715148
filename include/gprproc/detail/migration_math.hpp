#pragma once
// Migration math written once for the CPU loops (src/migration_*.cpp) and the
// CUDA kernels (cuda/migration_*.cu). Not public API. Formulas and references:
// docs/MIGRATION.md.
#include <math.h>

#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

constexpr double migration_speed_of_light = 299792458.0;  // m/s (as velocity_model.hpp)
constexpr float migration_pi_f = 3.14159265358979f;

// ---- interpolation ---------------------------------------------------------

// Half-width (in input samples) of the windowed-sinc interpolator.
constexpr int sinc_half_width = 6;

// sin(pi x) / (pi x) times a Blackman window of half-width `half_width`.
GPRPROC_HD float windowed_sinc(float x, float half_width) {
  const float ax = fabsf(x);
  if (ax >= half_width) return 0.0f;
  if (ax < 1e-6f) return 1.0f;
  const float px = migration_pi_f * x;
  const float u = migration_pi_f * ax / half_width;
  const float window = 0.42f + 0.5f * cosf(u) + 0.08f * cosf(2.0f * u);
  return sinf(px) / px * window;
}

// Band-limited value of `trace` (n samples `stride` apart, zero outside) at
// fractional index `position`, by a windowed sinc of sinc_half_width samples
// each side.
GPRPROC_HD float sinc_sample_strided(const float* trace, int n, long long stride, float position) {
  const int base = static_cast<int>(floorf(position));
  float sum = 0.0f;
  for (int i = base - sinc_half_width + 1; i <= base + sinc_half_width; ++i) {
    if (i < 0 || i >= n) continue;
    sum += trace[i * stride] * windowed_sinc(position - static_cast<float>(i), static_cast<float>(sinc_half_width));
  }
  return sum;
}
GPRPROC_HD float sinc_sample(const float* trace, int n, float position) {
  return sinc_sample_strided(trace, n, 1, position);
}

// Linear interpolation at fractional index `position`, samples outside [0, n)
// taken as zero (what a CUDA texture with border addressing returns).
GPRPROC_HD float linear_sample(const float* trace, int n, float position) {
  const float fl = floorf(position);
  const int i0 = static_cast<int>(fl);
  const float f = position - fl;
  const float a = (i0 >= 0 && i0 < n) ? trace[i0] : 0.0f;
  const float b = (i0 + 1 >= 0 && i0 + 1 < n) ? trace[i0 + 1] : 0.0f;
  return a + f * (b - a);
}

// ---- aperture --------------------------------------------------------------

// 1 inside (1 - taper) * limit, a cosine roll-off to 0 at `limit`, 0 beyond.
GPRPROC_HD double aperture_taper(double distance, double limit, double taper_fraction) {
  const double d = fabs(distance);
  if (d > limit) return 0.0;
  const double flat = limit * (1.0 - taper_fraction);
  if (d <= flat || taper_fraction <= 0.0) return 1.0;
  const double u = (d - flat) / (limit - flat);
  return 0.5 * (1.0 + cos(3.14159265358979323846 * u));
}

// ---- travel times ------------------------------------------------------------

// One leg (antenna to image point) of a ray that crosses a flat air-ground
// surface. time: s; cos_ground: cosine of the ray's angle from the vertical in
// the ground; spreading: the ray's ground-equivalent length sum(v_i s_i) / v
// (m), the 2-D in-plane geometric spreading.
struct RayLeg {
  double time;
  double cos_ground;
  double spreading;
};

// Antenna `height` (m) above the surface, image point `depth` (m) below it and
// `lateral` (m) away horizontally; ground velocity `v`. The refraction point
// minimises the travel time (Fermat): its condition
//   a / (c sqrt(a^2 + H^2)) = (h - a) / (v sqrt((h - a)^2 + z^2))  (Snell)
// has a left side minus right side increasing in a on [0, h], so a safeguarded
// Newton iteration with a bisection bracket always converges. Host set-up code
// calls it once per table entry, in double.
GPRPROC_HD RayLeg refracted_leg(double lateral, double depth, double height, double v) {
  const double c = migration_speed_of_light;
  const double h = fabs(lateral);
  if (height <= 0.0) {
    const double r = sqrt(h * h + depth * depth);
    return {r / v, r > 0.0 ? depth / r : 1.0, r};
  }
  if (depth <= 0.0) {
    const double r = sqrt(h * h + height * height);
    return {r / c, h > 0.0 ? 0.0 : 1.0, r * c / v};
  }
  double lo = 0.0, hi = h, a = h * height / (height + depth);  // straight-line start
  for (int iter = 0; iter < 60 && hi - lo > 1e-13 * (h + depth + height); ++iter) {
    const double ra = sqrt(a * a + height * height);
    const double rg = sqrt((h - a) * (h - a) + depth * depth);
    const double g = a / (c * ra) - (h - a) / (v * rg);
    if (g > 0.0) hi = a; else lo = a;
    const double dg = height * height / (c * ra * ra * ra) + depth * depth / (v * rg * rg * rg);
    double next = a - g / dg;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (fabs(next - a) < 1e-15 * (h + depth + height)) { a = next; break; }
    a = next;
  }
  const double ra = sqrt(a * a + height * height);
  const double rg = sqrt((h - a) * (h - a) + depth * depth);
  return {ra / c + rg / v, depth / rg, rg + ra * c / v};
}

// ---- half-derivative (rho) filter -------------------------------------------

// Factor applied to bin k of an n-point real FFT (forward e^{-i w t}) of a
// trace sampled at dt: sqrt(w) e^{-i pi/4} for w >= 0, i.e. (-i w)^(1/2) in
// this convention ((i w)^(1/2) in the e^{+i w t} one of Yilmaz). The phase sign
// is the one that cancels the diffraction sum's own 45-degree phase, so that
// Kirchhoff images agree with Stolt's exact f-k result (tests/cpu). The DC
// and Nyquist bins are zeroed. Returns (re, im).
struct ComplexFactor {
  float re;
  float im;
};
GPRPROC_HD ComplexFactor half_derivative_factor(int k, int n, double dt) {
  if (k == 0 || 2 * k == n) return {0.0f, 0.0f};
  const double w = 2.0 * 3.14159265358979323846 * k / (n * dt);
  const float mag = static_cast<float>(sqrt(w) * 0.70710678118654752);
  return {mag, -mag};
}

// ---- Stolt -------------------------------------------------------------------

// Stolt's mapping (exploding reflector, half velocity u = v / 2): the output
// frequency in depth wavenumber kz (rad/m) and horizontal wavenumber kx (rad/m)
// takes the input at w = u sqrt(kx^2 + kz^2), scaled by the Jacobian
// dw/dkz = u kz / sqrt(kx^2 + kz^2) (the obliquity factor).
GPRPROC_HD float stolt_frequency(float kx, float kz, float half_velocity) {
  return half_velocity * sqrtf(kx * kx + kz * kz);
}
GPRPROC_HD float stolt_obliquity(float kx, float kz) {
  const float r = sqrtf(kx * kx + kz * kz);
  return r > 0.0f ? fabsf(kz) / r : 1.0f;
}

// Phase (radians) that continues zero-offset data recorded `height` above the
// ground down to the surface through air (exploding-reflector half velocity
// c / 2): kz_air * height with kz_air = sqrt((w / (c/2))^2 - kx^2). Returns a
// negative number for waves evanescent in air (none of their energy reached
// the antenna), which the caller zeroes.
GPRPROC_HD double air_datum_phase(double omega, double kx, double height) {
  if (height <= 0.0) return 0.0;
  const double k = omega / (0.5 * migration_speed_of_light);
  const double kz2 = k * k - kx * kx;
  if (kz2 < 0.0) return -1.0;
  return sqrt(kz2) * height;
}

// Phase-shift migration: the phase (radians) accumulated by the component
// (kx, omega) from the surface down through `n_layers` layers, `thickness[l]`
// of layer l crossed, half velocities `half_velocity[l]`; false when it is
// evanescent in a layer crossed (then dropped).
GPRPROC_HD bool layered_phase(double omega, double kx, const double* thickness, const double* half_velocity,
                              int n_layers, double* phase) {
  double sum = 0.0;
  for (int l = 0; l < n_layers; ++l) {
    if (thickness[l] <= 0.0) continue;
    const double k = omega / half_velocity[l];
    const double kz2 = k * k - kx * kx;
    if (kz2 <= 0.0) return false;
    sum += sqrt(kz2) * thickness[l];
  }
  *phase = sum;
  return true;
}

// Half-width (in frequency bins) of the windowed sinc used to read a spectrum
// between its bins.
constexpr int stolt_sinc_half_width = 4;

}  // namespace gprproc::detail
