#pragma once
// Arrival time of a wavelet in one trace of a B-scan, for travel-time truths.
#include <cmath>
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/detail/migration_math.hpp"

namespace gprproc_test {

// Time (s, on the B-scan's clock) of the largest |sample| of trace `column`
// within +-`window` samples of `near` (s), searched on a 0.01-sample grid of
// the band-limited trace (the library's windowed sinc), so the estimate is
// not biased by the sampling or by an asymmetric (NMO-stretched) wavelet.
inline double peak_time(const gprproc::BScan& b, std::size_t column, double near, double window) {
  std::vector<float> trace(b.n_samples());
  for (std::size_t i = 0; i < b.n_samples(); ++i) trace[i] = b(i, column);
  const double centre = (near - b.metadata.t0) / b.metadata.dt;
  double best = centre, best_value = -1.0;
  for (double p = centre - window; p <= centre + window; p += 0.01) {
    const double v = std::abs(
        gprproc::detail::sinc_sample(trace.data(), static_cast<int>(trace.size()), static_cast<float>(p)));
    if (v > best_value) {
      best_value = v;
      best = p;
    }
  }
  return b.metadata.t0 + best * b.metadata.dt;
}

}  // namespace gprproc_test
