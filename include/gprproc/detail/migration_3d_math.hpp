#pragma once
// 3-D migration math written once for the CPU loops (src/migration/*.cpp) and
// the CUDA kernels (cuda/migration/*.cu). Not public API. The travel times,
// interpolation, triangle filters and phase shifts are the 2-D ones
// (migration_math.hpp, phase_shift_math.hpp); this adds what only 3-D needs.
// Formulas and references: docs/MIGRATION.md, "3-D migration".
#include <math.h>

#include "gprproc/detail/hd.hpp"
#include "gprproc/detail/migration_math.hpp"

namespace gprproc::detail {

// Factor applied to bin k of an n-point real FFT (forward e^{-i w t}) of a
// trace sampled at dt: -i w, the square of half_derivative_factor's
// (-i w)^(1/2). In 3-D a point reflector records the time derivative of its
// wavelet (the 3-D Green's function is a delta front) and the sum over a
// surface of traces contributes no phase, so this factor cancels the
// recorded +90 degrees the way the 2-D factor cancels the 2-D +45 (Yilmaz
// 2001, section 4.1: the 3-D Kirchhoff operator's d/dt, (i w) in his
// e^{+i w t} convention). DC and Nyquist are zeroed, as in 2-D.
GPRPROC_HD ComplexFactor derivative_factor(int k, int n, double dt) {
  if (k == 0 || 2 * k == n) return {0.0f, 0.0f};
  const double w = 2.0 * 3.14159265358979323846 * k / (n * dt);
  return {0.0f, static_cast<float>(-w)};
}

// Horizontal distance (m) from an image point to the transmitter (sign -1)
// or receiver (sign +1) of a trace whose midpoint lies `along` (x, the line
// direction, which is the antennas' direction) and `across` (y) away: what
// the 2-D travel-time legs take as their lateral offset.
GPRPROC_HD double antenna_lateral(double along, double across, double half_offset, int sign) {
  const double a = along + sign * half_offset;
  return sqrt(a * a + across * across);
}

// One contribution of the 3-D sum: a trace `line_offset` lines and
// `trace_offset` traces from the image pixel (both signs of the line offset:
// the geometry is symmetric in y), read at oversampled sample `position`
// with `weight`. Entries of one depth row are stored in a fixed order; the
// CPU and GPU sums follow it.
struct Kirchhoff3DEntry {
  int line_offset;   // >= 0: lines j + line_offset and j - line_offset
  int trace_offset;  // signed
  float position;    // oversampled sample index of the two-way time
  float weight;
};

}  // namespace gprproc::detail
