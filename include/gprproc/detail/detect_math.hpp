#pragma once
// Per-pixel detection math shared by the CPU loop (src/detect.cpp) and the
// CUDA kernel (cuda/detect.cu).
#include <cstddef>

#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

// sigma of Gaussian noise from its median absolute deviation.
constexpr double mad_to_sigma = 1.4826;

// True when pixel (i, j) of the row-major (n_z, n_x) envelope reaches `level`
// and is a local maximum of its 3 x 3 neighbourhood. Ties are broken by
// position (a neighbour earlier in memory must be strictly lower, a later one
// lower or equal), so a flat plateau yields exactly one maximum.
GPRPROC_HD bool is_peak(const float* envelope, std::size_t n_z, std::size_t n_x, std::size_t i, std::size_t j,
                        float level) {
  const float v = envelope[i * n_x + j];
  if (!(v >= level)) return false;
  for (int di = -1; di <= 1; ++di) {
    for (int dj = -1; dj <= 1; ++dj) {
      if (di == 0 && dj == 0) continue;
      const long long ii = static_cast<long long>(i) + di;
      const long long jj = static_cast<long long>(j) + dj;
      if (ii < 0 || jj < 0 || ii >= static_cast<long long>(n_z) || jj >= static_cast<long long>(n_x)) continue;
      const float u = envelope[static_cast<std::size_t>(ii) * n_x + static_cast<std::size_t>(jj)];
      const bool earlier = di < 0 || (di == 0 && dj < 0);
      if (earlier ? !(u < v) : !(u <= v)) return false;
    }
  }
  return true;
}

GPRPROC_HD double signal_to_noise(double amplitude, double median, double sigma) {
  return sigma > 0.0 ? (amplitude - median) / sigma : (amplitude > median ? 1e30 : 0.0);
}

}  // namespace gprproc::detail
