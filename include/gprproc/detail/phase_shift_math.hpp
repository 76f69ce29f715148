#pragma once
// Phase-shift migration's continuation of one (kx, omega) component down the
// image rows, written once for the CPU loop (src/migration_phase_shift.cpp)
// and the CUDA kernel (cuda/migration_phase_shift.cu). Not public API.
//
// The phase of row i is sum_l kz_l h(i, l), h(i, l) the thickness of layer l
// above the row. From one row to the next it grows by sum_l kz_l dh_l, which
// is kz dz inside a layer: the term is rotated by a factor whose cosine and
// sine are taken again only where that growth changes (at layer boundaries),
// instead of a cosine and a sine per (row, kx, omega).
#include <math.h>

#include "gprproc/detail/hd.hpp"
#include "gprproc/detail/migration_math.hpp"

namespace gprproc::detail {

// The component's term d exp(i (phase(row) + extra_phase)) at `row`, with
// `thickness` the (rows, n_layers) table; false when the component is
// evanescent in a layer crossed above that row (then in every row below too:
// thicknesses only grow with depth).
GPRPROC_HD bool phase_shift_start(double omega, double kx, double extra_phase, float d_re, float d_im,
                                  const double* thickness, int row, const double* half_velocity, int n_layers,
                                  double* re, double* im) {
  double phase = 0.0;
  if (!layered_phase(omega, kx, thickness + static_cast<long long>(row) * n_layers, half_velocity, n_layers, &phase))
    return false;
  phase += extra_phase;
  const double c = cos(phase), s = sin(phase);
  *re = d_re * c - d_im * s;
  *im = d_re * s + d_im * c;
  return true;
}

// The phase added from row - 1 to `row` (sum over the layers whose thickness
// grows), in *delta; false when a layer that starts or grows here is
// evanescent for the component (it is then dropped from this row down).
// kz of the growing layer is kept in *cached_layer / *cached_kz, since it is
// the same layer row after row.
GPRPROC_HD bool phase_shift_row_step(double omega, double kx, const double* thickness, int row,
                                     const double* half_velocity, int n_layers, int* cached_layer, double* cached_kz,
                                     double* delta) {
  const double* h = thickness + static_cast<long long>(row) * n_layers;
  const double* above = h - n_layers;
  double sum = 0.0;
  for (int l = 0; l < n_layers; ++l) {
    const double grown = h[l] - above[l];
    if (grown == 0.0) continue;
    if (l != *cached_layer) {
      const double k = omega / half_velocity[l];
      const double kz2 = k * k - kx * kx;
      if (kz2 <= 0.0) return false;
      *cached_kz = sqrt(kz2);
      *cached_layer = l;
    }
    sum += *cached_kz * grown;
  }
  *delta = sum;
  return true;
}

// Rotation by exp(i delta) with its cosine and sine kept while delta stays
// the same (to 1e-12 relative: rows' thickness steps differ in their last bits).
struct PhaseShiftRotation {
  double delta = 0.0, c = 1.0, s = 0.0;
  bool made = false;

  GPRPROC_HD void rotate(double next_delta, double* re, double* im) {
    if (!made || !(fabs(next_delta - delta) <= 1e-12 * fabs(next_delta))) {
      delta = next_delta;
      c = cos(next_delta);
      s = sin(next_delta);
      made = true;
    }
    const double rotated = *re * c - *im * s;
    *im = *re * s + *im * c;
    *re = rotated;
  }
};

// Image rows [first, first + count) of one wavenumber kx: each row's sum over
// the positive frequencies k = 1 .. nt/2 - 1 (omega = 2 pi k / (nt dt)) of
// the component spectrum[k] (float re, im pairs), carried through the air
// (antenna height) and continued down by rotations from row `first`; t0 is
// sample 0's time. Adds into sum_re / sum_im[0 .. count). The CPU runs it on
// a whole column (Rows = 0: count rows); a CUDA thread on a group of Rows
// (count <= Rows), the loop then unrolled so that the sums stay in registers.
template <int Rows>
GPRPROC_HD void phase_shift_group(const float* spectrum, int nt, double dt, double kx, double t0, double height,
                                  const double* thickness, const double* half_velocity, int n_layers, int first,
                                  int count, double* sum_re, double* sum_im) {
  const double two_pi = 2.0 * 3.14159265358979323846;
  const int rows = Rows > 0 ? Rows : count;
  for (int k = 1; 2 * k < nt; ++k) {
    const double omega = two_pi * k / (static_cast<double>(nt) * dt);
    const double datum = air_datum_phase(omega, kx, height);
    if (datum < 0.0) continue;  // evanescent in the air
    double re = 0.0, im = 0.0;
    // Sample 0 is at t0; the air is crossed first.
    if (!phase_shift_start(omega, kx, -omega * t0 + datum, spectrum[2 * k], spectrum[2 * k + 1], thickness, first,
                           half_velocity, n_layers, &re, &im))
      continue;  // evanescent above row `first`: in every row below
    PhaseShiftRotation rotation;
    int cached_layer = -1;
    double cached_kz = 0.0;
    sum_re[0] += re;
    sum_im[0] += im;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
    for (int r = 1; r < rows; ++r) {
      if (r >= count) break;
      double delta = 0.0;
      if (!phase_shift_row_step(omega, kx, thickness, first + r, half_velocity, n_layers, &cached_layer, &cached_kz,
                                &delta))
        break;  // evanescent from this row down
      rotation.rotate(delta, &re, &im);
      sum_re[r] += re;
      sum_im[r] += im;
    }
  }
}

}  // namespace gprproc::detail
