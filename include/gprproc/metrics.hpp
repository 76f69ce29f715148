#pragma once
// Figures of merit for comparing clutter-removal methods (docs/BACKGROUND.md).
// Host views only: they are cheap reductions a researcher runs after the fact.
#include <cstddef>

#include "gprproc/bscan.hpp"

namespace gprproc {

// A rectangle of a B-scan: samples [sample_begin, sample_end) of traces
// [trace_begin, trace_end) (half-open, 0-based), e.g. around a target's apex.
struct TargetWindow {
  std::size_t sample_begin = 0;
  std::size_t sample_end = 0;
  std::size_t trace_begin = 0;
  std::size_t trace_end = 0;
};

// Signal-to-clutter ratio (dB): 10 log10 of the mean power (mean of x^2) in
// the window over the mean power of every sample outside it. The window must
// be non-empty, inside the B-scan, and leave samples outside; a B-scan that is
// zero outside the window gives +inf.
double signal_to_clutter_ratio(ConstBScanView bscan, const TargetWindow& target);

// SCR(after) - SCR(before) in dB: the improvement a processing step made.
// The two B-scans have the same shape.
double scr_improvement(ConstBScanView before, ConstBScanView after, const TargetWindow& target);

// Peak signal-to-noise ratio (dB) of `result` against a clutter-free
// `reference` of the same shape: 10 log10(peak^2 / MSE) with peak = max |reference|
// and MSE the mean of (result - reference)^2. +inf when they are equal; a
// reference that is all zero throws.
double psnr(ConstBScanView result, ConstBScanView reference);

}  // namespace gprproc
