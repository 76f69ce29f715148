#pragma once
// Per-sample math of the gains, written once for the CPU loops (src/gain.cpp)
// and the CUDA kernels (cuda/gain.cu). Not public API.
#include <cmath>

#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

// g(t) = (max(t, dt) / t_ref)^p * exp(a * max(t, 0)) (gprproc/gain.hpp).
GPRPROC_HD double time_gain_value(double t, double dt, double power, double exponent, double reference_time) {
  const double t_power = t > dt ? t : dt;
  const double t_exp = t > 0.0 ? t : 0.0;
  double g = 1.0;
  if (power != 0.0) g = pow(t_power / reference_time, power);
  if (exponent != 0.0) g *= exp(exponent * t_exp);
  return g;
}

// AGC gain from a window's mean square and the floor level (floor fraction
// times the trace RMS): 1 / max(RMS, floor level); 1 where the floor level is
// 0 (an all-zero trace). On the GPU one double reciprocal square root (1 ulp)
// replaces a square root and a division, per sample; the CPU keeps them.
GPRPROC_HD float agc_gain_of_mean_square(double mean_square, double floor_level) {
  if (!(floor_level > 0.0)) return 1.0f;
  const double ms = mean_square > 0.0 ? mean_square : 0.0;
#ifdef __CUDA_ARCH__
  return static_cast<float>(ms < floor_level * floor_level ? 1.0 / floor_level : rsqrt(ms));
#else
  double rms = sqrt(ms);
  if (rms < floor_level) rms = floor_level;
  return static_cast<float>(1.0 / rms);
#endif
}

// The same from a window's sum of squares over `count` samples.
GPRPROC_HD float agc_gain(double sum_of_squares, long count, double floor_level) {
  return agc_gain_of_mean_square((sum_of_squares > 0.0 ? sum_of_squares : 0.0) / static_cast<double>(count),
                                 floor_level);
}

}  // namespace gprproc::detail
