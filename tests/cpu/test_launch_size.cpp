// The CUDA launch-size arithmetic (cuda/launch_size.hpp), host code that runs
// here: row chunks cover every row once, and no launch exceeds the grid limit.
#include <catch2/catch.hpp>

#include <vector>

#include "launch_size.hpp"

using gprproc::cuda_backend::for_row_chunks;
using gprproc::cuda_backend::rows_per_launch;

TEST_CASE("row chunks cover every row once within the grid limit", "[cuda][launch][cpu]") {
  constexpr long long kMaxGridX = 2147483647LL;
  struct Case {
    long long rows, tiles;
  };
  for (const Case c : {Case{1, 1}, Case{1024, 1}, Case{5, 3}, Case{kMaxGridX, 1}, Case{kMaxGridX + 1, 1},
                       Case{3LL << 31, 2}, Case{1LL << 36, 1000}, Case{7, kMaxGridX}, Case{7, 4LL << 31}}) {
    INFO(c.rows << " rows of " << c.tiles << " tiles");
    long long next = 0, launches = 0;
    for_row_chunks(c.rows, c.tiles, [&](long long first, long long rows) {
      CHECK(first == next);
      CHECK(rows >= 1);
      // Every launch within the limit, except a single row wider than it (its
      // launch fails loudly in CUDA rather than skipping rows).
      if (c.tiles <= kMaxGridX) CHECK(rows * c.tiles <= kMaxGridX);
      next = first + rows;
      ++launches;
    });
    CHECK(next == c.rows);
    CHECK(launches == (c.rows + rows_per_launch(c.tiles) - 1) / rows_per_launch(c.tiles));
  }
}
