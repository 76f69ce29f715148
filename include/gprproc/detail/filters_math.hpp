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
GPRPROC_HD double bessel_i0(double x) {  // power series, converged well below 1e-16 for x <= 64
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 100; ++k) {
    const double q = x / (2.0 * k);
    term *= q * q;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

constexpr int kMaxSincHalfWidth = 32;

// Weight of the tap at distance x (samples) from the interpolation point;
// inv_i0_beta = 1 / I0(beta), computed once by the callers.
GPRPROC_HD double kaiser_sinc_weight(double x, int half_width, double inv_i0_beta) {
  const double pi = 3.14159265358979323846;
  const double r = x / half_width;
  if (r <= -1.0 || r >= 1.0) return 0.0;
  const double beta = 2.0 * half_width;
  const double px = pi * x;
  const double sinc = x == 0.0 ? 1.0 : sin(px) / px;
  return sinc * bessel_i0(beta * sqrt(1.0 - r * r)) * inv_i0_beta;
}
GPRPROC_HD double kaiser_inv_i0_beta(int half_width) { return 1.0 / bessel_i0(2.0 * half_width); }

// The 2 * half_width tap weights for a point `frac` in [0, 1) past sample k0:
// weights[m + half_width - 1] for tap k0 + m, m = -half_width + 1 .. half_width.
GPRPROC_HD void sinc_weights(double frac, int half_width, float* weights) {
  const double inv_i0_beta = kaiser_inv_i0_beta(half_width);
  for (int m = -half_width + 1; m <= half_width; ++m)
    weights[m + half_width - 1] = static_cast<float>(kaiser_sinc_weight(frac - m, half_width, inv_i0_beta));
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

// trace[k * stride], k in [0, n), interpolated at the fractional sample `position`.
GPRPROC_HD float sinc_interpolate(const float* trace, std::size_t stride, long n, double position,
                                  int half_width) {
  const double base = floor(position);
  const double frac = position - base;
  const long k0 = static_cast<long>(base);
  if (frac == 0.0) return (k0 >= 0 && k0 < n) ? trace[static_cast<std::size_t>(k0) * stride] : 0.0f;
  const double inv_i0_beta = kaiser_inv_i0_beta(half_width);
  double sum = 0.0;
  for (int m = -half_width + 1; m <= half_width; ++m) {
    const long k = k0 + m;
    if (k < 0 || k >= n) continue;
    sum += kaiser_sinc_weight(frac - m, half_width, inv_i0_beta) * trace[static_cast<std::size_t>(k) * stride];
  }
  return static_cast<float>(sum);
}

// ---- First-break picking on one trace (stride between samples), returning a
// fractional sample index, or -1 when the trace has no non-zero sample.
// method: 0 amplitude threshold, 1 threshold on an envelope given as the trace,
// 2 first peak of |x| after the threshold.
GPRPROC_HD float abs_interpolated(const float* trace, std::size_t stride, long n, double pos, int hw) {
  return fabsf(sinc_interpolate(trace, stride, n, pos, hw));
}

// Golden-section search for the maximum of the interpolated |x| in [k-1, k+1]
// around a sample maximum k; returns its position, its value in *value.
GPRPROC_HD double refine_peak(const float* trace, std::size_t stride, long n, long k, int hw, float* value) {
  const double g = 0.6180339887498949;
  double a = static_cast<double>(k) - 1.0, b = static_cast<double>(k) + 1.0;
  if (a < 0.0) a = 0.0;
  if (b > n - 1) b = static_cast<double>(n - 1);
  double c = b - g * (b - a), d = a + g * (b - a);
  float fc = abs_interpolated(trace, stride, n, c, hw);
  float fd = abs_interpolated(trace, stride, n, d, hw);
  for (int it = 0; it < 45; ++it) {  // 0.618^45: 4e-10 of the bracket
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = abs_interpolated(trace, stride, n, c, hw);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = abs_interpolated(trace, stride, n, d, hw);
    }
  }
  const double pos = 0.5 * (a + b);
  const float at_pos = abs_interpolated(trace, stride, n, pos, hw);
  const float at_k = fabsf(trace[static_cast<std::size_t>(k) * stride]);
  *value = at_pos > at_k ? at_pos : at_k;
  return pos;
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
    // Bisection for the crossing of the interpolated |x| between samples k-1 and k.
    double a = static_cast<double>(k - 1), b = static_cast<double>(k);
    for (int it = 0; it < 40; ++it) {
      const double mid = 0.5 * (a + b);
      if (abs_interpolated(trace, stride, n, mid, half_width) < level)
        a = mid;
      else
        b = mid;
    }
    return 0.5 * (a + b);
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
