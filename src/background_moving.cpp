// CPU mean-trace, moving-mean and moving-median background removal. Rows
// (time samples) are independent: OpenMP across rows, and the inner loops run
// along the contiguous trace axis.
#include <algorithm>
#include <cmath>
#include <vector>

#include "background_cpu.hpp"
#include "filters_common.hpp"
#include "gprproc/detail/background_math.hpp"
#include "parallel_errors.hpp"

namespace gprproc::cpu_backend {

namespace {
using detail::window_begin;
using detail::window_end;

// Replaces one element equal to `old_value` by `new_value` in the sorted
// `window`: a single shift of the elements between the two positions.
void replace_sorted(std::vector<float>& window, float old_value, float new_value) {
  const auto begin = window.begin(), end = window.end();
  const auto out = std::lower_bound(begin, end, old_value);
  if (new_value > old_value) {
    const auto in = std::upper_bound(out + 1, end, new_value);  // first element > new_value
    std::move(out + 1, in, out);
    *(in - 1) = new_value;
  } else {
    const auto in = std::upper_bound(begin, out, new_value);
    std::move_backward(in, out, out + 1);
    *in = new_value;
  }
}
}  // namespace

// Rows in chunks of 16 handed out dynamically; threads:
// preprocessing::memory_bound_threads (src/filters_common.hpp).
bool subtract_mean_trace(ConstBScanView in, BScanView out) {
  const long long m = static_cast<long long>(in.n_samples);
  const std::size_t n = in.n_traces;
  bool finite = true;
  const int threads = preprocessing::memory_bound_threads(in.size());
  (void)threads;  // used by the OpenMP pragma only
  GPRPROC_BACKGROUND_PRAGMA(omp parallel for schedule(dynamic, 16) reduction(&& : finite) num_threads(threads))
  for (long long i = 0; i < m; ++i) {
    const float* x = in.samples + static_cast<std::size_t>(i) * n;
    float* y = out.samples + static_cast<std::size_t>(i) * n;
    double sum = 0.0;  // double: rows of 1e5+ traces keep float precision
    GPRPROC_BACKGROUND_PRAGMA(omp simd reduction(+ : sum))
    for (std::size_t j = 0; j < n; ++j) sum += x[j];
    // The NaN/Inf check rides on the sum: a double sum of finite floats is finite.
    if (!std::isfinite(sum)) {
      finite = false;
      continue;
    }
    const float mean = static_cast<float>(sum / static_cast<double>(n));
    // x may be y (in place): each element is read before it is written.
    for (std::size_t j = 0; j < n; ++j) y[j] = x[j] - mean;
  }
  return finite;
}

void subtract_moving_mean(ConstBScanView in, std::size_t window_traces, BScanView out) {
  const long long m = static_cast<long long>(in.n_samples);
  const long long n = static_cast<long long>(in.n_traces);
  const long long w = static_cast<long long>(window_traces);
  parallel::ParallelErrors errors;  // an allocation failure must not escape the region
  GPRPROC_BACKGROUND_PRAGMA(omp parallel)
  {
    // Row prefix sums in double: each window sum is one difference, O(1) per
    // output whatever the window, and the loop below vectorises. The
    // cancellation error of the difference is ~1e-16 of the row's running
    // sum, far below float resolution.
    std::vector<double> prefix;
    const bool ready = errors.run([&] { prefix.resize(static_cast<std::size_t>(n) + 1); });
    GPRPROC_BACKGROUND_PRAGMA(omp for schedule(static))
    for (long long i = 0; i < m; ++i) {
      if (!ready || errors.failed()) continue;
      const float* x = in.samples + i * n;
      float* y = out.samples + i * n;
      double running = 0.0;
      prefix[0] = 0.0;
      for (long long j = 0; j < n; ++j) {
        running += x[j];
        prefix[static_cast<std::size_t>(j) + 1] = running;
      }
      for (long long j = 0; j < n; ++j) {
        const long long s = window_begin(j, w);
        const long long e = window_end(j, n, w);
        const double mean = (prefix[static_cast<std::size_t>(e)] - prefix[static_cast<std::size_t>(s)]) /
                            static_cast<double>(e - s);
        y[j] = x[j] - static_cast<float>(mean);  // in place is fine: the row is in `prefix`
      }
    }
  }
  errors.rethrow();
}

void subtract_moving_median(ConstBScanView in, std::size_t window_traces, BScanView out) {
  const long long m = static_cast<long long>(in.n_samples);
  const long long n = static_cast<long long>(in.n_traces);
  const long long w = static_cast<long long>(window_traces);  // <= n: validated
  parallel::ParallelErrors errors;  // an allocation failure must not escape the region
  GPRPROC_BACKGROUND_PRAGMA(omp parallel)
  {
    // A sorted copy of the current window: sliding one trace is two binary
    // searches and one move of the (on average w/3) floats between the
    // positions of the trace that leaves and the one that enters.
    // For 11..101 traces that is a few cache lines and beats heaps (which
    // need lazy deletion and index bookkeeping) in practice.
    std::vector<float> row, window;
    const bool ready = errors.run([&] {
      row.resize(static_cast<std::size_t>(n));
      window.reserve(static_cast<std::size_t>(std::min(w, n)) + 1);  // never grows past this
    });
    GPRPROC_BACKGROUND_PRAGMA(omp for schedule(static))
    for (long long i = 0; i < m; ++i) {
      if (!ready || errors.failed()) continue;
      std::copy(in.samples + i * n, in.samples + (i + 1) * n, row.begin());  // in == out allowed
      float* y = out.samples + i * n;
      window.clear();
      long long s = 0, e = 0;  // the window holds row[s, e)
      for (long long j = 0; j < n; ++j) {
        const long long next_s = window_begin(j, w);
        const long long next_e = window_end(j, n, w);
        for (; e < next_e && s < next_s; ++e, ++s)
          replace_sorted(window, row[static_cast<std::size_t>(s)], row[static_cast<std::size_t>(e)]);
        for (; e < next_e; ++e) {
          const float v = row[static_cast<std::size_t>(e)];
          window.insert(std::upper_bound(window.begin(), window.end(), v), v);
        }
        for (; s < next_s; ++s) {
          const float v = row[static_cast<std::size_t>(s)];
          window.erase(std::lower_bound(window.begin(), window.end(), v));
        }
        const long long k = static_cast<long long>(window.size());
        const float median = detail::median_of_middles(window[static_cast<std::size_t>(detail::median_rank_low(k))],
                                                       window[static_cast<std::size_t>(detail::median_rank_high(k))]);
        y[j] = row[static_cast<std::size_t>(j)] - median;
      }
    }
  }
  errors.rethrow();
}

}  // namespace gprproc::cpu_backend
