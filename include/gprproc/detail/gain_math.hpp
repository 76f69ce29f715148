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

// AGC gain from a window's sum of squares over `count` samples and the floor
// level (floor fraction times the trace RMS); 1 where the floor level is 0
// (an all-zero trace).
GPRPROC_HD float agc_gain(double sum_of_squares, long count, double floor_level) {
  if (!(floor_level > 0.0)) return 1.0f;
  double rms = sqrt((sum_of_squares > 0.0 ? sum_of_squares : 0.0) / static_cast<double>(count));
  if (rms < floor_level) rms = floor_level;
  return static_cast<float>(1.0 / rms);
}

}  // namespace gprproc::detail
