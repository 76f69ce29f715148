#pragma once
// Per-sample math of the field-geometry steps (include/gprproc/geometry.hpp),
// written once for the CPU loops (src/geometry_*.cpp) and the CUDA kernels
// (cuda/geometry.cu). Not public API.
#include <cstddef>

#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

// One output sample of a trace mix: sum of weight[w] * row[index[w]] over the
// terms [begin, end), accumulated in double and rounded once (so a mean of
// identical traces gives the trace back exactly).
GPRPROC_HD float mix_sample(const float* row, const std::size_t* index, const double* weight, std::size_t begin,
                            std::size_t end) {
  double sum = 0.0;
  for (std::size_t w = begin; w < end; ++w) sum += weight[w] * static_cast<double>(row[index[w]]);
  return static_cast<float>(sum);
}

// The static delay (s) of a trace recorded at surface elevation `elevation`
// for a ground-coupled antenna: two-way travel through the ground between the
// datum and the surface, 2 (datum - elevation) / velocity.
GPRPROC_HD double static_delay(double datum, double elevation, double velocity) {
  return 2.0 * (datum - elevation) / velocity;
}

// ---- Saturation: per-trace counters, updated sample by sample down a trace.
struct SaturationCounter {
  unsigned long long at_low;    // samples at (or within the tolerance of) the low limit
  unsigned long long at_high;   // ... of the high limit
  unsigned long long run_low;   // the current run at the low limit
  unsigned long long run_high;
  unsigned long long longest_low;  // the longest run so far
  unsigned long long longest_high;
};

GPRPROC_HD SaturationCounter saturation_counter() {
  SaturationCounter c;
  c.at_low = c.at_high = c.run_low = c.run_high = c.longest_low = c.longest_high = 0;
  return c;
}

// A limit of -inf (low) or +inf (high) matches no finite sample.
GPRPROC_HD void saturation_update(SaturationCounter& c, float value, double low, double high, double tolerance) {
  const double v = static_cast<double>(value);
  if (v <= low + tolerance) {
    ++c.at_low;
    if (++c.run_low > c.longest_low) c.longest_low = c.run_low;
  } else {
    c.run_low = 0;
  }
  if (v >= high - tolerance) {
    ++c.at_high;
    if (++c.run_high > c.longest_high) c.longest_high = c.run_high;
  } else {
    c.run_high = 0;
  }
}

// Running extremes of a trace (for inferring the digitiser limits).
GPRPROC_HD void extremes_update(float value, float& lowest, float& highest) {
  if (value < lowest) lowest = value;
  if (value > highest) highest = value;
}

}  // namespace gprproc::detail
