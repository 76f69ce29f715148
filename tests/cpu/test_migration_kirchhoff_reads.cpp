// The read of the CUDA Kirchhoff's global-reads path
// (detail::linear_sample_guarded on the sample-major copy with zero guard
// rows) against detail::linear_sample, which reads as the texture does (zero
// outside the trace): the same value at every position, inside, at the ends
// and far outside, from a column of a wider buffer whose other columns are
// not zero (so a read from the wrong column would show).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gprproc/detail/migration_math.hpp"

using namespace gprproc::detail;

TEST_CASE("linear_sample_guarded on a sample-major buffer equals the texture-like linear_sample",
          "[migration][kirchhoff]") {
  const int n = 50, width = 7, column = 3;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> trace(n);
  for (auto& v : trace) v = value(rng);
  // Rows -2 .. n + 1; the guard rows are zero in every column, the data rows
  // hold the trace in `column` and other numbers elsewhere.
  std::vector<float> buffer(static_cast<std::size_t>((n + 2 * linear_guard_samples) * width), 0.0f);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < width; ++j)
      buffer[static_cast<std::size_t>((i + linear_guard_samples) * width + j)] = j == column ? trace[i] : 7.0f + j;
  const float* origin = buffer.data() + linear_guard_samples * width + column;
  std::vector<float> positions = {-1e9f, -1e6f, -10.0f, -2.5f, -2.0f, -1.5f, -1.0f, -0.25f, 0.0f, 0.5f,
                                  48.75f, 49.0f, 49.5f, 50.0f, 50.5f, 51.0f, 52.5f, 1e6f, 1e9f};
  std::uniform_real_distribution<float> anywhere(-5.0f, n + 5.0f);
  for (int i = 0; i < 2000; ++i) positions.push_back(anywhere(rng));
  for (const float p : positions) {
    const float expected = linear_sample(trace.data(), n, p);
    const float got = linear_sample_guarded(origin, n, width, p);
    INFO("position " << p);
    CHECK(std::abs(got - expected) <= 1e-6f);
  }
}
