#pragma once
// The velocity scan's focus measure, per pixel, for the CPU loop
// (src/velocity.cpp) and the CUDA reduction (cuda/velocity_scan.cu): with the
// migrated stack A, energy E (migration of the squared B-scan) and weight W
// (migration of ones), the pixel semblance A^2 / (W E), capped at 1, weighted
// by the stack energy A^2. The focus is sum(weighted) / sum(total).
#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

struct FocusTerms {
  double weighted = 0.0;
  double total = 0.0;
};

GPRPROC_HD FocusTerms semblance_focus_terms(float stack, float energy, float weight) {
  FocusTerms t;
  const double a2 = static_cast<double>(stack) * stack;
  const double we = static_cast<double>(weight) * energy;
  if (!(we > 0.0)) return t;
  const double semblance = a2 / we;
  t.weighted = a2 * (semblance < 1.0 ? semblance : 1.0);
  t.total = a2;
  return t;
}

}  // namespace gprproc::detail
