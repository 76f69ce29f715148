#pragma once
// Analytic signals for the preprocessing and gain tests (CPU and CUDA): the
// Ricker wavelet, sums of sines, and measurements made against the analytic
// forms (amplitude fits, wavelet centre by correlation), never against the code.
#include <cmath>
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"

namespace gprproc_test {

constexpr double kPi = 3.14159265358979323846;

inline double ricker(double t, double f) {
  const double a = kPi * kPi * f * f * t * t;
  return (1.0 - 2.0 * a) * std::exp(-a);
}

inline gprproc::BScanMetadata metadata(double dt, double t0 = 0.0) {
  gprproc::BScanMetadata m;
  m.dt = dt;
  m.t0 = t0;
  m.dx = 0.01;
  return m;
}

// Least-squares amplitudes of sin/cos pairs at `freqs` over samples [i0, i1) of
// trace j: returns the amplitude sqrt(a^2 + b^2) of each.
inline std::vector<double> sine_amplitudes(const gprproc::BScan& b, std::size_t j, const std::vector<double>& freqs,
                                           std::size_t i0, std::size_t i1) {
  const std::size_t k = 2 * freqs.size();
  std::vector<double> ata(k * k, 0.0), atb(k, 0.0), row(k);
  for (std::size_t i = i0; i < i1; ++i) {
    const double t = b.metadata.time_of_sample(i);
    for (std::size_t f = 0; f < freqs.size(); ++f) {
      row[2 * f] = std::sin(2 * kPi * freqs[f] * t);
      row[2 * f + 1] = std::cos(2 * kPi * freqs[f] * t);
    }
    for (std::size_t r = 0; r < k; ++r) {
      atb[r] += row[r] * b(i, j);
      for (std::size_t c = 0; c < k; ++c) ata[r * k + c] += row[r] * row[c];
    }
  }
  // Gaussian elimination (small, well-conditioned normal equations).
  for (std::size_t p = 0; p < k; ++p) {
    for (std::size_t r = p + 1; r < k; ++r) {
      const double f = ata[r * k + p] / ata[p * k + p];
      for (std::size_t c = p; c < k; ++c) ata[r * k + c] -= f * ata[p * k + c];
      atb[r] -= f * atb[p];
    }
  }
  std::vector<double> x(k);
  for (std::size_t p = k; p-- > 0;) {
    double s = atb[p];
    for (std::size_t c = p + 1; c < k; ++c) s -= ata[p * k + c] * x[c];
    x[p] = s / ata[p * k + p];
  }
  std::vector<double> amp(freqs.size());
  for (std::size_t f = 0; f < freqs.size(); ++f) amp[f] = std::hypot(x[2 * f], x[2 * f + 1]);
  return amp;
}

// The centre (s) of a Ricker of frequency f in trace j: the maximum over c of
// the correlation of the trace with ricker(t - c), by golden-section search
// around the largest sample.
inline double ricker_centre(const gprproc::BScan& b, std::size_t j, double f) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < b.n_samples(); ++i)
    if (b(i, j) > b(best, j)) best = i;
  auto corr = [&](double c) {
    double s = 0.0;
    for (std::size_t i = 0; i < b.n_samples(); ++i) s += b(i, j) * ricker(b.metadata.time_of_sample(i) - c, f);
    return s;
  };
  const double g = 0.6180339887498949;
  double a = b.metadata.time_of_sample(best) - 2 * b.metadata.dt, z = a + 4 * b.metadata.dt;
  double c = z - g * (z - a), d = a + g * (z - a), fc = corr(c), fd = corr(d);
  for (int it = 0; it < 80; ++it) {
    if (fc > fd) {
      z = d; d = c; fd = fc; c = z - g * (z - a); fc = corr(c);
    } else {
      a = c; c = d; fc = fd; d = a + g * (z - a); fd = corr(d);
    }
  }
  return 0.5 * (a + z);
}

}  // namespace gprproc_test
