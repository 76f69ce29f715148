#pragma once
// Per-sample math of the preprocessing filters, written once for the CPU loops
// (src/filters*.cpp) and the CUDA kernels (cuda/filters.cu). Not public API.
#include <cmath>
#include <cstddef>

#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

// The running window of dewow at sample i of n: [lo, hi], half-width h,
// shrunk to the samples that exist near the ends.
struct IndexRange {
  long lo;
  long hi;
};
GPRPROC_HD IndexRange running_window(long i, long half_width, long n) {
  IndexRange r;
  r.lo = i - half_width < 0 ? 0 : i - half_width;
  r.hi = i + half_width > n - 1 ? n - 1 : i + half_width;
  return r;
}

// Raised-cosine band-pass weight: 1 in [low, high], cos^2 rolloff over the
// taper widths outside it, 0 beyond. A zero taper width is a hard edge.
GPRPROC_HD double cosine_bandpass_weight(double f, double low, double high, double low_taper,
                                         double high_taper) {
  const double pi = 3.14159265358979323846;
  if (f >= low && f <= high) return 1.0;
  if (f < low) {
    if (low_taper <= 0.0 || f <= low - low_taper) return 0.0;
    const double c = cos(0.5 * pi * (low - f) / low_taper);
    return c * c;
  }
  if (high_taper <= 0.0 || f >= high + high_taper) return 0.0;
  const double c = cos(0.5 * pi * (f - high) / high_taper);
  return c * c;
}

// |H(f)| of a Butterworth band-pass built as a high-pass (corner `low`, absent
// when low == 0) times a low-pass (corner `high`), each of `order`:
// |H_lp| = 1 / sqrt(1 + (f/high)^2n), |H_hp| = 1 / sqrt(1 + (low/f)^2n).
GPRPROC_HD double butterworth_bandpass_weight(double f, double low, double high, int order) {
  f = fabs(f);
  const double r_lp = pow(f / high, 2.0 * order);
  double h = 1.0 / sqrt(1.0 + r_lp);
  if (low > 0.0) {
    if (f == 0.0) return 0.0;
    const double r_hp = pow(low / f, 2.0 * order);
    h /= sqrt(1.0 + r_hp);
  }
  return h;
}

// Multiplier that turns the half spectrum of a real signal of even length n
// into the spectrum of its analytic signal: bins 0 and n/2 once, the positive
// frequencies twice (the negative ones are zero and are not stored).
GPRPROC_HD float analytic_multiplier(long bin, long n_fft) {
  return (bin == 0 || 2 * bin == n_fft) ? 1.0f : 2.0f;
}

// Kaiser-windowed sinc interpolation. The window's beta = 2 * half_width:
// on a Ricker sampled 20 times per period the error is about 1e-4 of the peak
// for half-width 4 and below 1e-7 for 8 (docs/PREPROCESSING.md).
constexpr int kMaxSincHalfWidth = 32;

// The 2 * half_width tap weights, in double, for a point `frac` in [0, 1) past
// sample k0: weights[m + half_width - 1] for tap k0 + m, m = -half_width + 1 ..
// half_width. Each window value I0(beta sqrt(1 - r^2)) / I0(beta) takes
// I0(x) = sum_k y^k / (k!)^2, y = x^2 / 4, in Horner form over a fixed
// beta + 14 terms, for all taps (and I0(beta)) at once: the tail left out is
// below 1e-17 of I0(beta) for half-widths 2..32 (checked in 40-digit
// arithmetic, docs/PREPROCESSING.md), and each term costs one division shared
// by every tap plus one multiply-add per tap, in independent lanes that
// vectorise. (The series term by term, until it converged, made a division
// per term and tap: 1.5 us for the 16 weights of half-width 8.)
GPRPROC_HD void kaiser_sinc_weights(double frac, int half_width, double* weights) {
  const double pi = 3.14159265358979323846;
  const int taps = 2 * half_width;
  const double beta = 2.0 * half_width;
  double y[2 * kMaxSincHalfWidth + 1];  // lane `taps`: I0(beta) itself
  for (int t = 0; t < taps; ++t) {
    const double r = (frac - static_cast<double>(t - half_width + 1)) / half_width;
    y[t] = r <= -1.0 || r >= 1.0 ? -1.0 : 0.25 * beta * beta * (1.0 - r * r);  // -1: outside the window
    weights[t] = 1.0;
  }
  y[taps] = 0.25 * beta * beta;
  double i0_beta = 1.0;
  for (int k = static_cast<int>(beta) + 14; k >= 1; --k) {
    const double c = 1.0 / (static_cast<double>(k) * static_cast<double>(k));
    for (int t = 0; t < taps; ++t) weights[t] = 1.0 + weights[t] * (y[t] * c);
    i0_beta = 1.0 + i0_beta * (y[taps] * c);
  }
  // sin(pi (frac - m)) = (-1)^m sin(pi frac): one sine for all taps, taken
  // as sin(pi (1 - frac)) past 1/2 (1 - frac is exact there), where
  // sin(pi frac) would lose the digits of a frac near 1.
  const double sin_frac = frac <= 0.5 ? sin(pi * frac) : sin(pi * (1.0 - frac));
  const double inv_i0_beta = 1.0 / i0_beta;
  for (int t = 0; t < taps; ++t) {
    const int m = t - half_width + 1;
    const double x = frac - static_cast<double>(m);
    const double sinc = x == 0.0 ? 1.0 : ((m & 1) ? -sin_frac : sin_frac) / (pi * x);
    weights[t] = y[t] < 0.0 ? 0.0 : sinc * weights[t] * inv_i0_beta;
  }
}

// The same weights in float, for kernels that apply one set to many samples.
GPRPROC_HD void sinc_weights(double frac, int half_width, float* weights) {
  double w[2 * kMaxSincHalfWidth];
  kaiser_sinc_weights(frac, half_width, w);
  for (int t = 0; t < 2 * half_width; ++t) weights[t] = static_cast<float>(w[t]);
}

// Applies precomputed weights around sample k0; samples outside [0, n) are zero.
GPRPROC_HD float apply_sinc_weights(const float* trace, std::size_t stride, long n, long k0, const float* weights,
                                    int half_width) {
  float sum = 0.0f;
  for (int m = -half_width + 1; m <= half_width; ++m) {
    const long k = k0 + m;
    if (k < 0 || k >= n) continue;
    sum += weights[m + half_width - 1] * trace[static_cast<std::size_t>(k) * stride];
  }
  return sum;
}

// trace[k * stride], k in [0, n), interpolated at the fractional sample
// `position`, in double (the pick's searches compare these values, and float
// would leave a flat top about 1e-3 sample wide at a peak).
GPRPROC_HD double sinc_interpolate(const float* trace, std::size_t stride, long n, double position,
                                   int half_width) {
  const double base = floor(position);
  const double frac = position - base;
  const long k0 = static_cast<long>(base);
  if (frac == 0.0) return (k0 >= 0 && k0 < n) ? trace[static_cast<std::size_t>(k0) * stride] : 0.0;
  double w[2 * kMaxSincHalfWidth];
  kaiser_sinc_weights(frac, half_width, w);
  double sum = 0.0;
  for (int m = -half_width + 1; m <= half_width; ++m) {
    const long k = k0 + m;
    if (k < 0 || k >= n) continue;
    sum += w[m + half_width - 1] * trace[static_cast<std::size_t>(k) * stride];
  }
  return sum;
}

// ---- First-break picking on one trace (stride between samples), returning a
// fractional sample index, or -1 when the trace has no non-zero sample.
// method: 0 amplitude threshold, 1 threshold on an envelope given as the trace,
// 2 first peak of |x| after the threshold.
GPRPROC_HD double abs_interpolated(const float* trace, std::size_t stride, long n, double pos, int hw) {
  return fabs(sinc_interpolate(trace, stride, n, pos, hw));
}

// Positions are refined to kPickTolerance samples. Each step evaluates the
// windowed sinc once, which is the cost of picking, so the searches below
// take the superlinear methods: on a Ricker-like trace about 22 evaluations
// for the peak and 18 for the crossing, where golden-section search and
// bisection took 48 and 40.
constexpr double kPickTolerance = 1e-9;

// The maximum of the interpolated |x| in [k-1, k+1] around a sample maximum
// k, by Brent's method (1973): a parabola through the three best points so
// far, or a golden-section step where the parabola would not shrink the
// bracket fast enough. Returns its position; *value is the larger of the
// interpolated maximum and |x[k]|.
GPRPROC_HD double refine_peak(const float* trace, std::size_t stride, long n, long k, int hw, float* value) {
  const double golden = 0.3819660112501051;  // (3 - sqrt 5) / 2
  double a = static_cast<double>(k) - 1.0, b = static_cast<double>(k) + 1.0;
  if (a < 0.0) a = 0.0;
  if (b > n - 1) b = static_cast<double>(n - 1);
  // Minimises f = -|x|: x the best point so far, w the second best, v the previous w.
  double x = a + golden * (b - a), w = x, v = x;
  double fx = -abs_interpolated(trace, stride, n, x, hw), fw = fx, fv = fx;
  double step = 0.0, previous_step = 0.0;
  for (int it = 0; it < 100; ++it) {
    const double middle = 0.5 * (a + b);
    const double tol = kPickTolerance, tol2 = 2.0 * tol;
    if (fabs(x - middle) <= tol2 - 0.5 * (b - a)) break;
    bool parabolic = false;
    if (fabs(previous_step) > tol) {
      double r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r;
      q = 2.0 * (q - r);
      if (q > 0.0) p = -p;
      else q = -q;
      const double older_step = previous_step;
      previous_step = step;
      // Accept the parabola's vertex if it lies inside the bracket and moves
      // less than half the step before last (else it is not converging).
      if (fabs(p) < fabs(0.5 * q * older_step) && p > q * (a - x) && p < q * (b - x)) {
        step = p / q;
        const double u = x + step;
        if (u - a < tol2 || b - u < tol2) step = x < middle ? tol : -tol;
        parabolic = true;
      }
    }
    if (!parabolic) {
      previous_step = x < middle ? b - x : a - x;
      step = golden * previous_step;
    }
    const double u = fabs(step) >= tol ? x + step : x + (step > 0.0 ? tol : -tol);
    const double fu = -abs_interpolated(trace, stride, n, u, hw);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w == x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u;
        fv = fu;
      }
    }
  }
  const double at_k = fabs(static_cast<double>(trace[static_cast<std::size_t>(k) * stride]));
  *value = static_cast<float>(-fx > at_k ? -fx : at_k);
  return x;
}

// The crossing of `level` by the interpolated |x| between samples k-1 and k,
// where |x[k-1]| < level <= |x[k]| (or the level lies above both and k is the
// sample maximum), by the Illinois variant of regula falsi
// (the end that stays has its value halved, so both ends converge). The
// secant steps can stall where rounding flattens the values; a step that
// leaves more than half the bracket is followed by a bisection step, which
// bounds the count. It keeps |x| < level at the left
// end and >= level at the right, as bisection would.
GPRPROC_HD double refine_crossing(const float* trace, std::size_t stride, long n, long k, int hw, float level) {
  double a = static_cast<double>(k - 1), b = static_cast<double>(k);
  double fa = static_cast<double>(fabsf(trace[static_cast<std::size_t>(k - 1) * stride])) - level;
  double fb = static_cast<double>(fabsf(trace[static_cast<std::size_t>(k) * stride])) - level;
  int kept = 0;  // -1: a stayed last time, +1: b stayed
  // When the level lies above every sample (k is then the sample maximum) the
  // right end is below it too, and a secant step would run to k: bisect
  // until a trial reaches the level, as the search did before.
  bool bisect = !(fb >= 0.0);
  for (int it = 0; it < 100 && b - a > 2.0 * kPickTolerance; ++it) {
    const double width = b - a;
    double c = !bisect && fb > fa ? (a * fb - b * fa) / (fb - fa) : 0.5 * (a + b);
    // Keep the trial strictly inside, at least a tolerance from either end.
    if (!(c > a + kPickTolerance)) c = a + kPickTolerance;
    if (!(c < b - kPickTolerance)) c = b - kPickTolerance;
    const double fc = abs_interpolated(trace, stride, n, c, hw) - level;
    if (fc < 0.0) {
      a = c;
      fa = fc;
      if (kept == 1) fb *= 0.5;
      kept = 1;
    } else {
      b = c;
      fb = fc;
      if (kept == -1) fa *= 0.5;
      kept = -1;
    }
    bisect = !(fb >= 0.0) || b - a > 0.5 * width;
  }
  return 0.5 * (a + b);
}

GPRPROC_HD double pick_first_break(const float* trace, std::size_t stride, long n, int method, double threshold,
                                   int half_width) {
  long k_max = 0;
  float peak = 0.0f;
  for (long k = 0; k < n; ++k) {
    const float v = fabsf(trace[static_cast<std::size_t>(k) * stride]);
    if (v > peak) {
      peak = v;
      k_max = k;
    }
  }
  if (!(peak > 0.0f)) return -1.0;
  // The level is relative to the interpolated maximum, not to the largest
  // sample, which would depend on where the samples fall on the wavelet.
  refine_peak(trace, stride, n, k_max, half_width, &peak);
  const float level = static_cast<float>(threshold) * peak;
  long k = 0;
  while (k < n && fabsf(trace[static_cast<std::size_t>(k) * stride]) < level) ++k;
  if (k >= n) k = k_max;  // the level lies between samples at the peak
  if (method != 2) {
    if (k == 0) return 0.0;
    return refine_crossing(trace, stride, n, k, half_width, level);
  }
  // The first local maximum of |x| from there, refined.
  while (k + 1 < n && fabsf(trace[static_cast<std::size_t>(k + 1) * stride]) >=
                          fabsf(trace[static_cast<std::size_t>(k) * stride]))
    ++k;
  float value = 0.0f;
  return refine_peak(trace, stride, n, k, half_width, &value);
}

}  // namespace gprproc::detail

namespace gprproc::detail {

// The FFT length used for a trace of n samples: the smallest 4 * 2^a 3^b 5^c
// at least twice n (zero padding so that the filter does not wrap around;
// multiples of 4 keep the real FFTs on their fast path). Host only.
inline std::size_t padded_fft_length(std::size_t n) {
  const std::size_t target = 2 * n;
  std::size_t best = 0;
  for (std::size_t p2 = 4; ; p2 *= 2) {
    for (std::size_t p3 = p2; ; p3 *= 3) {
      for (std::size_t p5 = p3; ; p5 *= 5) {
        if (p5 >= target) {
          if (best == 0 || p5 < best) best = p5;
          break;
        }
      }
      if (p3 >= target) break;
    }
    if (p2 >= target) break;
  }
  return best;
}

}  // namespace gprproc::detail
