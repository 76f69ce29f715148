#pragma once
// Launch-size arithmetic shared by the CUDA kernels' host code.
#include <cstddef>

namespace gprproc::cuda_backend {

// Blocks of `threads` that cover `count` items (the last one partly).
inline unsigned int blocks_for(std::size_t count, unsigned int threads) {
  return static_cast<unsigned int>((count + threads - 1) / threads);
}

// Row-tiled kernels launch rows x tiles_per_row blocks along x, which holds at
// most 2^31 - 1: each launch takes at most this many rows, and a taller input
// (a stack of many B-scans) runs as several launches over row chunks.
inline long long rows_per_launch(long long tiles_per_row) {
  constexpr long long kMaxGridX = 2147483647LL;
  const long long rows = kMaxGridX / (tiles_per_row > 0 ? tiles_per_row : 1);
  return rows > 0 ? rows : 1;
}

// Calls launch(first_row, rows) for consecutive row chunks of at most
// rows_per_launch(tiles_per_row) rows covering [0, n_rows).
template <class Launch>
void for_row_chunks(long long n_rows, long long tiles_per_row, Launch&& launch) {
  const long long step = rows_per_launch(tiles_per_row);
  for (long long first = 0; first < n_rows; first += step) launch(first, n_rows - first < step ? n_rows - first : step);
}

}  // namespace gprproc::cuda_backend
