#pragma once
// Per-element math of background removal, shared by the CPU loops (src/) and
// the CUDA kernels (cuda/). Not API.
#include <cstdint>

#include "gprproc/detail/hd.hpp"

namespace gprproc::detail {

// The window of output trace j: traces [window_begin, window_end), centred on
// j, w (odd) wide, cut at the ends of the data (it shrinks at the edges).
GPRPROC_HD long long window_begin(long long j, long long w) { return j - w / 2 > 0 ? j - w / 2 : 0; }
GPRPROC_HD long long window_end(long long j, long long n, long long w) { return j + w / 2 + 1 < n ? j + w / 2 + 1 : n; }

// 0-based ranks of the two middle values of w sorted values (equal when w is odd).
GPRPROC_HD long long median_rank_low(long long w) { return (w - 1) / 2; }
GPRPROC_HD long long median_rank_high(long long w) { return w / 2; }
// The median from the two middle values; exact (a == b) for odd windows.
GPRPROC_HD float median_of_middles(float a, float b) { return a == b ? a : 0.5f * (a + b); }

// A float's bits mapped to an unsigned integer of the same order (finite
// values): negative numbers have all bits flipped, positive ones the sign bit set.
GPRPROC_HD std::uint32_t orderable_bits(std::uint32_t float_bits) {
  return (float_bits & 0x80000000u) ? ~float_bits : (float_bits | 0x80000000u);
}
GPRPROC_HD std::uint32_t float_bits_of_orderable(std::uint32_t key) {
  return (key & 0x80000000u) ? (key & 0x7fffffffu) : ~key;
}

// A sort key that orders samples by value and ties by position, so every
// element of a staged segment is distinct: (orderable value bits << 32) | index.
GPRPROC_HD std::uint64_t median_sort_key(std::uint32_t float_bits, std::uint32_t index) {
  return (static_cast<std::uint64_t>(orderable_bits(float_bits)) << 32) | index;
}
GPRPROC_HD std::uint32_t key_index(std::uint64_t key) { return static_cast<std::uint32_t>(key & 0xffffffffu); }
GPRPROC_HD std::uint32_t key_value_bits(std::uint64_t key) {
  return float_bits_of_orderable(static_cast<std::uint32_t>(key >> 32));
}

// The GPU moving median's selection step. `sorted` holds the keys of a staged
// segment in ascending order; the window of one output is the segment
// positions [first, first + w). Walks the sorted keys, counting those inside
// the window, and returns the bits of the values of rank median_rank_low(w)
// and median_rank_high(w) among them. The walk stops at the high rank, so it
// reads about w / 2 + (segment length - w) / 2 keys.
GPRPROC_HD void select_window_median(const std::uint64_t* sorted, std::uint32_t count, std::uint32_t first,
                                     std::uint32_t w, std::uint32_t* low_bits, std::uint32_t* high_bits) {
  const std::uint32_t rank_low = static_cast<std::uint32_t>(median_rank_low(w));
  const std::uint32_t rank_high = static_cast<std::uint32_t>(median_rank_high(w));
  std::uint32_t seen = 0;
  for (std::uint32_t p = 0; p < count; ++p) {
    const std::uint64_t key = sorted[p];
    if (key_index(key) - first < w) {  // unsigned: first <= index < first + w
      if (seen == rank_low) *low_bits = key_value_bits(key);
      if (seen == rank_high) {
        *high_bits = key_value_bits(key);
        return;
      }
      ++seen;
    }
  }
}

// Soft thresholding (the proximal map of tau * |x|), used by robust PCA.
GPRPROC_HD double soft_threshold(double x, double tau) {
  return x > tau ? x - tau : (x < -tau ? x + tau : 0.0);
}

}  // namespace gprproc::detail
