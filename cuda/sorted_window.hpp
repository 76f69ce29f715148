#pragma once
#include <cmath>
// A window of up to P values kept sorted in registers (ascending, unused slots
// +Inf at the top), updated as the window slides by a removal and an
// insertion (one combined pass in a row's interior): each a fixed sequence of
// compares and selects over all P slots (every index a compile-time constant
// once unrolled: no local memory, no data-dependent branches). Used by the moving-median kernel (cuda/background.cu).
// Device functions in CUDA; plain inline functions elsewhere, so that
// tests/cpu/test_sorted_window.cpp checks them against std::sort on the CPU.
#ifdef __CUDACC__
#define GPRPROC_SORTED_WINDOW_FN __device__ __forceinline__
#define GPRPROC_SORTED_WINDOW_UNROLL _Pragma("unroll")
#else
#define GPRPROC_SORTED_WINDOW_FN inline
#define GPRPROC_SORTED_WINDOW_UNROLL
#endif

namespace gprproc::cuda_backend {

// Removes one slot equal to `value` (which must be present): the slots above
// it move down one, the top slot becomes +Inf.
template <int P>
GPRPROC_SORTED_WINDOW_FN void sorted_window_remove(float (&v)[P], float value) {
  bool found = false;
GPRPROC_SORTED_WINDOW_UNROLL
  for (int k = 0; k < P - 1; ++k) {
    found = found || v[k] == value;
    v[k] = found ? v[k + 1] : v[k];
  }
  v[P - 1] = INFINITY;
}

// Inserts `value` (the top slot, +Inf, drops out): slot k becomes
// max(v[k-1], min(v[k], value)), computed from the top down on old values.
template <int P>
GPRPROC_SORTED_WINDOW_FN void sorted_window_insert(float (&v)[P], float value) {
GPRPROC_SORTED_WINDOW_UNROLL
  for (int k = P - 1; k > 0; --k) {
    const float lower = v[k] < value ? v[k] : value;
    v[k] = v[k - 1] > lower ? v[k - 1] : lower;
  }
  v[0] = v[0] < value ? v[0] : value;
}

// Removes one slot equal to `old` (which must be present) and inserts
// `value`, in one pass: the window's step in the interior of a row. With v
// sorted and `old` present, the slots from old's first copy up are exactly
// those >= old, so the removal is a[k] = v[k] >= old ? v[k + 1] : v[k] (no
// running flag, so no chain of dependent steps), and the insertion
// max(a[k - 1], min(a[k], value)) as in sorted_window_insert. The values are
// finite or +Inf (NaN input is flagged by the kernels), so min and max are
// single fminf / fmaxf instructions: four per slot, where a removal followed
// by an insertion took seven (compares and selects).
template <int P>
GPRPROC_SORTED_WINDOW_FN void sorted_window_replace(float (&v)[P], float old, float value) {
  float a_below = 0.0f;
GPRPROC_SORTED_WINDOW_UNROLL
  for (int k = 0; k < P; ++k) {
    const float above = k + 1 < P ? v[k + 1] : INFINITY;
    const float a = v[k] >= old ? above : v[k];
    const float lower = fminf(a, value);
    v[k] = k == 0 ? lower : fmaxf(a_below, lower);
    a_below = a;
  }
}

// Sorts the P values of v ascending with Batcher's odd-even merge sort for
// the next power of two N >= P, leaving out every comparator that reaches a
// slot >= P. That is exact: all its comparators put the smaller value in the
// lower slot, so slots >= P, taken as +Inf, would never change or move
// anything. Comparators: 19 / 63 / 132 / 191 / 384 / 543 for P = 8 / 16 / 24
// / 32 / 48 / 64, against 56 / 240 / 552 / 992 / 2256 / 4032 insertion steps
// (inserting the values one by one, the kernel's sort for these P before) and
// 24 / 80 / 240 / 240 / 672 / 672 for a bitonic network over N. Every index
// is a compile-time constant once unrolled.
template <int P>
GPRPROC_SORTED_WINDOW_FN void sorted_window_sort(float (&v)[P]) {
  static_assert(P >= 1 && P <= 128, "sorted_window_sort: 1 .. 128 slots");
  constexpr int N = P <= 1 ? 1 : P <= 2 ? 2 : P <= 4 ? 4 : P <= 8 ? 8 : P <= 16 ? 16 : P <= 32 ? 32 : P <= 64 ? 64 : 128;
  // Stage (p, k) compares slots a and a + k for the a >= k % p with
  // (a - k % p) mod 2k < k, within one block of 2p slots. The slot loop has a
  // fixed trip count, so the compiler unrolls it fully (a loop over j stepping
  // 2k from k % p did not unroll, and v went to local memory).
GPRPROC_SORTED_WINDOW_UNROLL
  for (int p = 1; p < N; p <<= 1) {
GPRPROC_SORTED_WINDOW_UNROLL
    for (int k = p; k >= 1; k >>= 1) {
GPRPROC_SORTED_WINDOW_UNROLL
      for (int a = 0; a < P; ++a) {
        const int b = a + k, first = k % p;
        if (b < P && a >= first && (a - first) % (2 * k) < k && a / (2 * p) == b / (2 * p)) {
          const float lo = fminf(v[a], v[b]), hi = fmaxf(v[a], v[b]);
          v[a] = lo;
          v[b] = hi;
        }
      }
    }
  }
}

// The values of rank `low` and `high` (0-based, both < P / 2 + 1).
template <int P>
GPRPROC_SORTED_WINDOW_FN void sorted_window_ranks(const float (&v)[P], int low, int high, float* at_low,
                                                  float* at_high) {
  float a = v[0], b = v[0];
GPRPROC_SORTED_WINDOW_UNROLL
  for (int k = 1; k <= P / 2; ++k) {
    a = k == low ? v[k] : a;
    b = k == high ? v[k] : b;
  }
  *at_low = a;
  *at_high = b;
}

}  // namespace gprproc::cuda_backend
