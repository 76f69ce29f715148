#pragma once
#include <cmath>
// A window of up to P values kept sorted in registers (ascending, unused slots
// +Inf at the top), updated as the window slides by one removal and one
// insertion: each a fixed sequence of compares and selects over all P slots
// (every index a compile-time constant once unrolled: no local memory, no
// data-dependent branches). Used by the moving-median kernel (cuda/background.cu).
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

// Sorts the P values of v (unused slots +Inf) by inserting them one by one
// into a window of +Inf: P insertions of P steps. The kernel's first window
// for a P that is not a power of two (no bitonic network there).
template <int P>
GPRPROC_SORTED_WINDOW_FN void sorted_window_fill(float (&v)[P]) {
  float w[P];
GPRPROC_SORTED_WINDOW_UNROLL
  for (int k = 0; k < P; ++k) w[k] = INFINITY;
  // Before the i-th insertion at most i < P finite values are held, so the
  // slot that drops out is always a +Inf.
GPRPROC_SORTED_WINDOW_UNROLL
  for (int i = 0; i < P; ++i) sorted_window_insert<P>(w, v[i]);
GPRPROC_SORTED_WINDOW_UNROLL
  for (int k = 0; k < P; ++k) v[k] = w[k];
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
