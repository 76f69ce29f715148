// The sliding sorted window of the CUDA moving median (cuda/sorted_window.hpp),
// compiled for the CPU and checked against std::sort: every window of every
// output, with repeated values, windows cut at both ends and runs that start
// anywhere, as the kernel slides them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gprproc/detail/background_math.hpp"
#include "sorted_window.hpp"

using namespace gprproc;

namespace {

// Every window of every output of rows of a few lengths, for the windows that
// fit P slots, with runs of 16 outputs starting every 7 traces, slid as the
// kernel slides them: sorted_window_replace where one value leaves and one
// enters, sorted_window_remove or _insert at the ends. The first window is
// sorted by sorted_window_sort (the kernel's network) or, when `by_std_sort`,
// by std::sort.
template <int P>
void check_sliding(const std::vector<long long>& windows, bool by_std_sort) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> level(-5, 5);  // few distinct values: many ties
  for (const long long w : windows) {
    REQUIRE(2 * (w / 2) + 1 <= P);
    for (const long long n : {1, 2, 5, 40, 200}) {
      std::vector<float> x(static_cast<std::size_t>(n));
      for (auto& e : x) e = 0.5f * static_cast<float>(level(rng));
      for (long long j0 = 0; j0 < n; j0 += 7) {
        long long s = detail::window_begin(j0, w), e = detail::window_end(j0, n, w);
        int count = static_cast<int>(e - s);
        float v[P];
        for (int k = 0; k < P; ++k) v[k] = k < count ? x[static_cast<std::size_t>(s + k)] : INFINITY;
        if (by_std_sort) std::sort(v, v + P);
        else cuda_backend::sorted_window_sort<P>(v);
        for (long long j = j0; j < std::min(j0 + 16, n); ++j) {
          if (j > j0) {
            const bool leaves = detail::window_begin(j, w) > s, enters = detail::window_end(j, n, w) > e;
            if (leaves && enters) {
              cuda_backend::sorted_window_replace<P>(v, x[static_cast<std::size_t>(s++)],
                                                     x[static_cast<std::size_t>(e++)]);
            } else if (leaves) {
              cuda_backend::sorted_window_remove<P>(v, x[static_cast<std::size_t>(s++)]);
              --count;
            } else if (enters) {
              cuda_backend::sorted_window_insert<P>(v, x[static_cast<std::size_t>(e++)]);
              ++count;
            }
          }
          std::vector<float> expected(x.begin() + s, x.begin() + e);
          std::sort(expected.begin(), expected.end());
          INFO("P " << P << (by_std_sort ? " (std::sort)" : "") << ", w " << w << ", n " << n << ", output " << j);
          REQUIRE(count == static_cast<int>(expected.size()));
          CHECK(std::equal(expected.begin(), expected.end(), v));
          for (int k = count; k < P; ++k) CHECK(std::isinf(v[k]));
          float low = 0.0f, high = 0.0f;
          cuda_backend::sorted_window_ranks<P>(v, static_cast<int>(detail::median_rank_low(count)),
                                               static_cast<int>(detail::median_rank_high(count)), &low, &high);
          CHECK(low == expected[static_cast<std::size_t>((count - 1) / 2)]);
          CHECK(high == expected[static_cast<std::size_t>(count / 2)]);
        }
      }
    }
  }
}

// sorted_window_sort against std::sort: random values with ties, and windows
// with their top slots +Inf (cut at a row's end), every count 0 .. P.
template <int P>
void check_network() {
  std::mt19937 rng(P);
  std::uniform_int_distribution<int> level(-20, 20);
  for (int count = 0; count <= P; ++count)
    for (int trial = 0; trial < 20; ++trial) {
      float v[P], expected[P];
      for (int k = 0; k < P; ++k) v[k] = expected[k] = k < count ? 0.25f * static_cast<float>(level(rng)) : INFINITY;
      std::shuffle(v, v + count, rng);
      cuda_backend::sorted_window_sort<P>(v);
      std::sort(expected, expected + P);
      INFO("P " << P << ", count " << count << ", trial " << trial);
      REQUIRE(std::equal(expected, expected + P, v));
    }
}

}  // namespace

TEST_CASE("sorted window slides by replacement, removal and insertion like a fresh sort", "[background][median]") {
  check_sliding<32>({1, 3, 11, 21, 31}, true);
  check_sliding<32>({21, 31}, false);
}

TEST_CASE("sorted window of 24 and 48 slots: sorted by the network, slides like a fresh sort", "[background][median]") {
  // The kernel's slot counts that are not powers of two (windows 17-23 and 33-47).
  check_sliding<24>({1, 17, 21, 23}, false);
  check_sliding<48>({33, 41, 47}, false);
}

TEST_CASE("sorted_window_sort (pruned odd-even merge network) sorts like std::sort", "[background][median]") {
  check_network<1>();
  check_network<3>();
  check_network<8>();
  check_network<16>();
  check_network<24>();
  check_network<32>();
  check_network<48>();
  check_network<64>();
}
