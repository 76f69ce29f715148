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

// The 2R weights windowed_sinc(f - k, R) of the taps k = floor(f) - R + 1 ...
// floor(f) + R, in that order, with three trigonometric calls per f instead
// of three per tap: with d = f - floor(f) and x = d + m (m = R - 1 ... -R),
// sin(pi x) = (-1)^m sin(pi d), and the window's cos(pi x / R) steps by a
// fixed rotation of -pi / R from tap to tap (cos(2u) = 2 cos(u)^2 - 1); the
// rotation is made once per half-width. Equal to windowed_sinc to float
// rounding (tests/cpu/test_migration.cpp).
struct WindowedSincTaps {
  int half_width;
  float step, cos_step, sin_step;

  GPRPROC_HD explicit WindowedSincTaps(int half_width_)
      : half_width(half_width_),
        step(migration_pi_f / static_cast<float>(half_width_)),
        cos_step(cosf(migration_pi_f / static_cast<float>(half_width_))),
        sin_step(sinf(migration_pi_f / static_cast<float>(half_width_))) {}

  // FixedHalfWidth > 0 (it must equal half_width) makes the tap count a
  // compile-time constant, so the loop unrolls and `out` can live in
  // registers (the CUDA Stolt kernel; with a run-time count its 8 weights
  // went to local memory).
  template <int FixedHalfWidth = 0>
  GPRPROC_HD void weights(float f, float* out) const {
    const int r = FixedHalfWidth > 0 ? FixedHalfWidth : half_width;
    const float d = f - floorf(f);
    const float sin_pi_d = sinf(migration_pi_f * d);
    const float start = step * (d + static_cast<float>(r - 1));
    float c = cosf(start), s = sinf(start);  // cos and sin of pi x / R at the first tap
    for (int t = 0; t < 2 * r; ++t) {
      const int m = r - 1 - t;
      const float x = d + static_cast<float>(m);
      float w = 0.0f;
      if (fabsf(x) < static_cast<float>(r)) {
        const float sinc = fabsf(x) < 1e-6f ? 1.0f : ((m & 1) ? -sin_pi_d : sin_pi_d) / (migration_pi_f * x);
        w = sinc * (0.42f + 0.5f * c + 0.08f * (2.0f * c * c - 1.0f));
      }
      out[t] = w;
      const float next_c = c * cos_step + s * sin_step;  // rotate by -pi / R
      s = s * cos_step - c * sin_step;
      c = next_c;
    }
  }
};

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

// Oversampling by an integer factor reads every trace at q / oversampling, so
// there are only `oversampling` distinct fractional offsets (phases): output
// sample q = oversampling * base + phase is the sum over taps t = 0 .. 2R - 1
// of input sample base - R + 1 + t (zero outside the trace) times this
// weight. The Kirchhoff plans tabulate it once per phase instead of
// evaluating the windowed sinc per output sample (three trigonometric calls
// and a division per tap); for a power-of-two factor the weights equal
// sinc_sample's at q / oversampling bit for bit.
GPRPROC_HD float oversampling_weight(int phase, int oversampling, int tap) {
  const float d = static_cast<float>(phase) / static_cast<float>(oversampling);
  return windowed_sinc(d + static_cast<float>(sinc_half_width - 1 - tap), static_cast<float>(sinc_half_width));
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

// linear_sample without bounds checks, for a trace whose samples sit `stride`
// floats apart with linear_guard_samples zero samples stored before index 0
// and after index n - 1 (the CUDA Kirchhoff's sample-major copy): the index
// is clamped into [-2, n], so any position reads either two guard zeros or
// what linear_sample reads.
constexpr int linear_guard_samples = 2;
GPRPROC_HD float linear_sample_guarded(const float* trace, int n, long long stride, float position) {
  const float whole = floorf(position);
  const float fraction = position - whole;
  const int i0 = static_cast<int>(fminf(fmaxf(whole, static_cast<float>(-linear_guard_samples)),
                                        static_cast<float>(n + linear_guard_samples - 2)));
  const float* s = trace + static_cast<long long>(i0) * stride;
  const float a = s[0], b = s[stride];
  return fmaf(fraction, b - a, a);
}

// Linear interpolation as two taps: value = w0 * s[index] + w1 * s[index + 1].
// The Kirchhoff sums read a whole row of traces at one position, so the taps
// are computed once per (depth row, trace offset) and applied to every column.
struct LinearTaps {
  int index;
  float w0, w1;
};
GPRPROC_HD LinearTaps linear_taps(float position, float weight) {
  const float fl = floorf(position);
  const float f = position - fl;
  return {static_cast<int>(fl), weight * (1.0f - f), weight * f};
}

// ---- operator anti-aliasing (triangle filters) -----------------------------
//
// Lumley, Claerbout and Bevc (1994); Gray (1992). A Kirchhoff sum over traces
// dx apart aliases where the summation curve moves more than about half a
// period from one trace to the next. Reading each trace through a triangle
// filter of half-length L = |dT/dx| dx (in samples; T the travel time of the
// contribution) removes the frequencies that would alias. With the trace
// integrated twice once per execute, a triangle read costs three reads:
//   S1[n] = sum_{m <= n} x[m]            (causal)
//   S2[n] = sum_{m >= n} S1[m]           (anticausal)
//   triangle(x, L)(p) = (2 S2(p) - S2(p - L) - S2(p + L)) / L^2
// the weights L - |m - p| of the unit-area triangle, centred on p (the causal
// and anticausal half-sample delays cancel). Read by linear interpolation;
// at L = 1 this is exactly the linear read of x, so the filter starts
// continuously at one sample. Precision: S2 is stored in float, and the read
// is a small difference of large values. A constant removed from S1 or S2
// changes S2 by a straight line, which the second difference ignores: both
// are made zero-mean. A DC offset d of the trace would make S2 grow as
// d n^2 / 2, so the trace's mean over its record is removed before the
// integration and added back as mean * (the same triangle read of the
// record's indicator, 1 inside, 0 outside): antialias_dc_gain, exact in
// double, 1 away from the record's ends. Slow trends (wow) still cost
// precision: dewow first, or keep the rho filter (it removes DC).

// Half-lengths at or below this (samples of the read trace) use the plain read.
constexpr float antialias_min_half_length = 1.0f;

// Operator half-length (samples) from the sample positions of the same image
// point on the previous and next traces.
GPRPROC_HD float antialias_half_length(float position_previous, float position_next) {
  return 0.5f * fabsf(position_next - position_previous);
}

// Taps of the triangle read of the doubly integrated trace: value =
// sum_i w0[i] * s2[index[i]] + w1[i] * s2[index[i] + 1] (three linear reads at
// p - L, p, p + L, weights -1, 2, -1 over L^2, times `weight`).
struct TriangleTaps {
  int index[3];
  float w0[3], w1[3];
};
GPRPROC_HD TriangleTaps triangle_taps(float position, float half_length, float weight) {
  const float c = weight / (half_length * half_length);
  const float offsets[3] = {-half_length, 0.0f, half_length};
  const float scales[3] = {-c, 2.0f * c, -c};
  TriangleTaps t;
  for (int i = 0; i < 3; ++i) {
    const LinearTaps l = linear_taps(position + offsets[i], scales[i]);
    t.index[i] = l.index;
    t.w0[i] = l.w0;
    t.w1[i] = l.w1;
  }
  return t;
}

// Doubly integrated trace (above) of `n` samples `stride` apart, less its
// mean over the record (returned), into `s2` (n + 2 pad samples, `out_stride`
// apart; s2[u] belongs to sample u - pad, the trace taken as zero outside
// its record), accumulated in double, S1 and S2 made zero-mean. The CUDA
// backend runs it per trace; the CPU one runs the same recurrences across a
// block of traces at once.
// Sums over u of R(u) and (u + 1) R(u), R(u) = min(max(u - pad + 1, 0), n)
// the running count of record samples, u = 0 .. n + 2 pad - 1: what the
// trace mean contributes to the sums of pass 1 below, per unit mean.
GPRPROC_HD double record_count_sum(int n, int pad) {
  return 0.5 * n * (n + 1.0) + static_cast<double>(pad) * n;
}
GPRPROC_HD double record_count_moment(int n, int pad) {
  const double nn = n, total = n + 2.0 * pad, end = pad + nn;
  return pad * 0.5 * nn * (nn + 1.0) + nn * (nn + 1.0) * (2.0 * nn + 1.0) / 6.0 +
         nn * (0.5 * total * (total + 1.0) - 0.5 * end * (end + 1.0));
}

GPRPROC_HD float integrate_twice(const float* x, int n, long long stride, int pad, float* s2, long long out_stride) {
  const int total = n + 2 * pad;
  // Pass 1: the trace's sum and the sums of S1 and (u + 1) S1 of the raw
  // trace; the mean's share is then removed in closed form, giving the means
  // of S1 and S2 of (trace - mean) (sum_u S2[u] = sum_v (v + 1) (S1[v] - mean S1)).
  double s1 = 0.0, s1_sum = 0.0, s1_moment = 0.0;
  for (int u = 0; u < total; ++u) {
    const int q = u - pad;
    if (q >= 0 && q < n) s1 += static_cast<double>(x[q * stride]);
    s1_sum += s1;
    s1_moment += static_cast<double>(u + 1) * s1;
  }
  const double mean = s1 / n;
  s1 -= mean * n;  // S1 of (trace - mean) at the end: zero up to rounding
  s1_sum -= mean * record_count_sum(n, pad);
  s1_moment -= mean * record_count_moment(n, pad);
  const double s1_mean = s1_sum / total;
  const double s2_mean = (s1_moment - s1_mean * 0.5 * total * (total + 1.0)) / total;
  // Pass 2, backward: S1 from its end value down, S2 accumulated anticausally.
  double s2_acc = 0.0;
  for (int u = total - 1; u >= 0; --u) {
    s2_acc += s1 - s1_mean;
    s2[u * out_stride] = static_cast<float>(s2_acc - s2_mean);
    const int q = u - pad;
    if (q >= 0 && q < n) s1 -= static_cast<double>(x[q * stride]) - mean;
  }
  return static_cast<float>(mean);
}

// The double integral (causal then anticausal, up to a straight line) of the
// record's indicator (1 for samples 0 .. n-1), read by linear interpolation at
// `position`: -C(q) with C(q) = sum_{v < q} min(max(v + 1, 0), n).
GPRPROC_HD double record_running_count_sum(double q, int n) {  // C(q) at an integer q
  if (q <= 0.0) return 0.0;
  if (q <= n) return 0.5 * q * (q + 1.0);
  return 0.5 * n * (n + 1.0) + (q - n) * n;
}
GPRPROC_HD double record_double_integral(double position, int n) {
  const double fl = floor(position);
  const double f = position - fl;
  const double c0 = record_running_count_sum(fl, n), c1 = record_running_count_sum(fl + 1.0, n);
  return -(c0 + f * (c1 - c0));
}

// The triangle read (triangle_taps' formula) of the record's indicator: the
// factor by which the removed trace mean comes back in a triangle read at
// `position`, half-length `half_length` (n samples). In double throughout,
// positions included: a float p + L would shift the read by its rounding
// times the indicator's integral (~p), the error the mean removal avoids.
GPRPROC_HD float antialias_dc_gain(float position, float half_length, int n) {
  const double p = position, l = half_length;
  return static_cast<float>(
      (2.0 * record_double_integral(p, n) - record_double_integral(p - l, n) - record_double_integral(p + l, n)) /
      (l * l));
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

struct StoltValue {
  float re, im;
};

// A plan's constants of the mapping, made the same way for the CPU loop and
// the CUDA launch.
struct StoltMapConstants {
  float bins_per_omega;  // input frequency bins per rad/s: nt dt / (2 pi)
  float f_max;           // the last bin read: nt / 2 - R, so the taps stay below Nyquist
  float amplitude;       // u dt / dz
  WindowedSincTaps taps;
};
inline StoltMapConstants stolt_map_constants(int nt, double dt, double dz, double half_velocity) {
  const double two_pi = 2.0 * 3.14159265358979323846;
  return StoltMapConstants{static_cast<float>(static_cast<double>(nt) * dt / two_pi),
                           static_cast<float>(nt / 2) - static_cast<float>(stolt_sinc_half_width),
                           static_cast<float>(half_velocity * dt / dz), WindowedSincTaps(stolt_sinc_half_width)};
}

// One point (kx, kz > 0) of the Stolt mapping, for the CPU loop and the CUDA
// kernel alike. The input spectrum of kx (`row`: interleaved complex, bins
// 0 .. nt/2) is read at fractional bin f by the windowed sinc of `taps`
// (stolt_sinc_half_width; negative bins are the conjugates of the -kx row,
// `mirror_row`). The value is then rotated to undo the trace rotation and t0
// (time_origin_shift), continue the data through the air to the ground
// (air_datum_phase; zero when evanescent in air) and put the depth origin at
// z0, and scaled by `amplitude` times the obliquity. The caller keeps f at
// most nt/2 - R. The phase is reduced to (-2 pi, 2 pi) in double and its
// cosine and sine taken in float; WindowedSincTaps makes three trigonometric
// calls per point instead of three per tap: the mapping's whole cost.
GPRPROC_HD StoltValue stolt_map_point(const float* row, const float* mirror_row, const WindowedSincTaps& taps, float f,
                                      float omega, float kx, float kz, double time_origin_shift, double z0,
                                      double datum_height, float amplitude) {
  constexpr int R = stolt_sinc_half_width;
  const int base = static_cast<int>(floorf(f));
  float weights[2 * R];
  taps.weights<R>(f, weights);
  float re = 0.0f, im = 0.0f;
  for (int t = 0; t < 2 * R; ++t) {
    const int k = base - R + 1 + t;
    const float bin_re = k >= 0 ? row[2 * k] : mirror_row[-2 * k];
    const float bin_im = k >= 0 ? row[2 * k + 1] : -mirror_row[-2 * k + 1];
    re += bin_re * weights[t];
    im += bin_im * weights[t];
  }
  const double datum = air_datum_phase(omega, kx, datum_height);
  if (datum < 0.0) return {0.0f, 0.0f};
  const double two_pi = 2.0 * 3.14159265358979323846;
  const double phase = -static_cast<double>(omega) * time_origin_shift + static_cast<double>(kz) * z0 + datum;
  const double turns = static_cast<double>(static_cast<long long>(phase / two_pi));
  const float reduced = static_cast<float>(phase - two_pi * turns);
  const float scale = amplitude * stolt_obliquity(kx, kz);
  const float c = cosf(reduced) * scale, s = sinf(reduced) * scale;
  return {re * c - im * s, re * s + im * c};
}

}  // namespace gprproc::detail
