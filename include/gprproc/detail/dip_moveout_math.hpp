#pragma once
// Dip moveout (DMO) math written once for the CPU (src/migration_dip_moveout.cpp)
// and the CUDA kernel (cuda/migration_dip_moveout.cu). Not public API.
// docs/MIGRATION.md, "Dip moveout".
#include <math.h>

#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

// |k h / omega| where the filter's phase starts and ends its taper to zero.
constexpr float kDipMoveoutTaperStart = 1.5f;
constexpr float kDipMoveoutTaperEnd = 3.0f;

// Phase (radians) of the log-stretch f-k DMO filter exp(i phase) at the
// log-time frequency `omega` (radians per unit of ln t) and the wavenumber k
// times the half-offset h (`k_half_offset`, radians).
//
// After normal moveout, constant velocity, a sample at (midpoint y, time t_n)
// belongs on the zero-offset ellipse t_0 = t_n sqrt(1 - b^2 / h^2), b = y0 - y
// in (-h, h). In zeta = ln t that curve is zeta_0 = zeta_n + ln(1 - b^2/h^2) / 2,
// the same at every time and midpoint: a 2-D convolution, i.e. a filter in
// (omega, k). Its phase by stationary phase (the integral over b has one
// stationary point) is
//   phase = (omega / 2) [ ln((1 + S) / 2) + 1 - S ],  S = sqrt(1 + (2 k h / omega)^2),
// for transforms with exp(-i omega zeta - i k y) forward (FFTW, PocketFFT and
// cuFFT's sign). It is odd in omega (a real filter), even in k, 0 at k = 0
// (flat events stay) and at omega = 0. S - 1 is written q^2 / (1 + S) so small
// k h / omega (most of the spectrum) loses nothing to cancellation.
GPRPROC_HD float dip_moveout_phase(float omega, float k_half_offset) {
  if (omega == 0.0f) return 0.0f;
  const float q = 2.0f * k_half_offset / omega;
  const float q2 = q * q;
  const float s_minus_1 = q2 / (1.0f + sqrtf(1.0f + q2));
  const float phase = 0.5f * omega * (log1pf(0.5f * s_minus_1) - s_minus_1);
  // Where |k| h > |omega| the phase tends to -sign(omega) |k| h: a jump
  // across omega = 0 that smears the log-time mean of each wavelet (a wavelet
  // has one in ln t) into a constant along the whole trace, 5% of the peak
  // under a 5 cm deep diffractor. Stationary phase is not valid there, and no
  // recorded event needs it unless it is shallower than the half-offset
  // (|k| h / |omega| = |dt/dy| h / t <= h / depth), so the phase is tapered
  // to zero from r = |k h / omega| = 1.5 to 3 (cos^2). Measured: the
  // constant 0.103 -> 0.009 of a peak of 1.9; limb times no worse
  // (docs/MIGRATION.md).
  const float r = fabsf(0.5f * q);
  if (r <= kDipMoveoutTaperStart) return phase;
  if (r >= kDipMoveoutTaperEnd) return 0.0f;
  const float c = cosf(1.5707963f * (r - kDipMoveoutTaperStart) / (kDipMoveoutTaperEnd - kDipMoveoutTaperStart));
  return phase * c * c;
}

}  // namespace gprproc::detail
