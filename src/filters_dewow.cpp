// DC removal and dewow: validation, dispatch, and the CPU loops. Both work on
// blocks of traces so that the inner loops run along the contiguous trace axis
// of the row-major (n_samples, n_traces) layout and vectorise.
#include <algorithm>
#include <cmath>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "gprproc/filters.hpp"
#include "parallel_errors.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "filters_cuda.hpp"
#endif

namespace gprproc {

namespace {

using preprocessing::as_const;
using preprocessing::throw_parameter;

constexpr std::size_t kBlock = 64;  // traces per CPU work item

struct SampleRange {
  std::size_t first;
  std::size_t last;
};

// The samples whose times lie in [start, end]; at least one.
SampleRange window_samples(const TimeWindow& w, const BScanMetadata& m, std::size_t n) {
  if (std::isnan(w.start) || std::isnan(w.end))
    throw InvalidArgument("remove_dc: the time window holds NaN; give finite times in seconds or leave the "
                          "default (whole trace)");
  if (!(w.start <= w.end))
    throw InvalidArgument("remove_dc: time window start " + std::to_string(w.start) + " s is after its end " +
                          std::to_string(w.end) + " s");
  // A small tolerance so that a window edge on a sample time includes it.
  const double lo = std::ceil((w.start - m.t0) / m.dt - 1e-9);
  const double hi = std::floor((w.end - m.t0) / m.dt + 1e-9);
  const double first = std::max(lo, 0.0);
  const double last = std::min(hi, static_cast<double>(n - 1));
  if (!(first <= last)) {
    std::ostringstream msg;
    msg << "remove_dc: the time window [" << w.start << ", " << w.end << "] s holds no sample; the trace spans ["
        << m.t0 << ", " << m.time_of_sample(n - 1) << "] s";
    throw InvalidArgument(msg.str());
  }
  return {static_cast<std::size_t>(first), static_cast<std::size_t>(last)};
}

// remove_dc works on tiles of traces, each summed over the window and then
// written (output = input - mean) by one thread, with no barrier between the
// passes; tiles are handed out dynamically. Threads:
// preprocessing::memory_bound_threads (one on a busy machine). One thread
// takes whole rows (up to kMaxTile traces): long contiguous runs stream best
// (4 KiB runs measured 1.3x slower than 16 KiB rows). Sums run in float over
// groups of kRowGroup rows, four rows per step (vector adds, no conversion per
// sample); the groups are added in double. Each column is summed by one
// thread in a fixed order: results do not depend on scheduling.
constexpr std::size_t kMaxTile = 8192;
constexpr std::size_t kMinParallelTile = 1024;
constexpr std::size_t kRowGroup = 16;

std::size_t tile_width(std::size_t n_traces, std::size_t threads) {
  if (threads <= 1) return std::min(n_traces, kMaxTile);
  const std::size_t per_tile = (n_traces + 2 * threads - 1) / (2 * threads);  // two tiles per thread
  return std::min(kMaxTile, std::max(kMinParallelTile, (per_tile + 15) / 16 * 16));
}

// Adds rows [i0, i1) of tile columns [0, w) (row pitch nt) to `sum` through
// the float `partial`.
void add_row_group(const float* tile, std::size_t nt, std::size_t w, std::size_t i0, std::size_t i1,
                   float* partial, double* sum) {
  std::fill_n(partial, w, 0.0f);
  std::size_t i = i0;
  for (; i + 4 <= i1; i += 4) {
    const float* a = tile + i * nt;
    const float* b = a + nt;
    const float* c = b + nt;
    const float* d = c + nt;
    for (std::size_t j = 0; j < w; ++j) partial[j] += (a[j] + b[j]) + (c[j] + d[j]);
  }
  for (; i < i1; ++i) {
    const float* row = tile + i * nt;
    for (std::size_t j = 0; j < w; ++j) partial[j] += row[j];
  }
  for (std::size_t j = 0; j < w; ++j) sum[j] += partial[j];
}

bool sums_finite(const double* sum, std::size_t w) {
  double zero = 0.0;  // 0 unless a sum is NaN or Inf (see all_finite)
  for (std::size_t j = 0; j < w; ++j) zero += sum[j] * 0.0;
  return zero == 0.0;
}

// Returns false when a window sum is not finite (a NaN/Inf sample); that
// tile's output is then not written.
bool remove_dc_cpu(ConstBScanView in, SampleRange r, BScanView out) {
  const std::size_t nt = in.n_traces, ns = in.n_samples;
  const int threads = preprocessing::memory_bound_threads(ns * nt);
  const std::size_t tile = tile_width(nt, static_cast<std::size_t>(threads));
  const long n_tiles = static_cast<long>((nt + tile - 1) / tile);
  const double count = static_cast<double>(r.last - r.first + 1);
  bool finite = true;
  parallel::ParallelErrors errors;  // an allocation failure must not escape the region
#pragma omp parallel reduction(&& : finite) num_threads(threads) if (n_tiles > 1)
  {
    std::vector<double> sum;
    std::vector<float> partial, mean;
    const bool ready = errors.run([&] {
      sum.resize(tile);
      partial.resize(tile);
      mean.resize(tile);
    });
#pragma omp for schedule(dynamic, 1)
    for (long t = 0; t < n_tiles; ++t) {
      if (!ready || errors.failed()) continue;
      const std::size_t j0 = static_cast<std::size_t>(t) * tile, w = std::min(tile, nt - j0);
      const float* columns = in.samples + j0;
      std::fill_n(sum.data(), w, 0.0);
      for (std::size_t i0 = r.first; i0 <= r.last; i0 += kRowGroup)
        add_row_group(columns, nt, w, i0, std::min(r.last + 1, i0 + kRowGroup), partial.data(), sum.data());
      if (!sums_finite(sum.data(), w)) {
        // A NaN/Inf sample, or a float partial sum that overflowed: sum this
        // tile again in double (its columns are not written yet).
        std::fill_n(sum.data(), w, 0.0);
        for (std::size_t i = r.first; i <= r.last; ++i) {
          const float* row = columns + i * nt;
          for (std::size_t j = 0; j < w; ++j) sum[j] += row[j];
        }
        if (!sums_finite(sum.data(), w)) {
          finite = false;
          continue;
        }
      }
      for (std::size_t j = 0; j < w; ++j) mean[j] = static_cast<float>(sum[j] / count);
      const float* m = mean.data();
      for (std::size_t i = 0; i < ns; ++i) {
        const float* src = columns + i * nt;
        float* dst = out.samples + i * nt + j0;
        for (std::size_t j = 0; j < w; ++j) dst[j] = src[j] - m[j];
      }
    }
  }
  errors.rethrow();
  return finite;
}

// The NaN/Inf check rides on the window sums; only the samples outside the
// window (and an in-place call, which must not be modified before a rejection)
// need a pass of their own.
void remove_dc_checked(ConstBScanView in, SampleRange r, BScanView out) {
  const std::size_t nt = in.n_traces, ns = in.n_samples;
  if (preprocessing::overlaps(in, out)) {
    preprocessing::check_input_finite("remove_dc", in);
  } else if (!preprocessing::all_finite(in.samples, r.first * nt) ||
             !preprocessing::all_finite(in.samples + (r.last + 1) * nt, (ns - 1 - r.last) * nt)) {
    preprocessing::confirm_input_finite("remove_dc", in);
  }
  if (!remove_dc_cpu(in, r, out)) preprocessing::confirm_input_finite("remove_dc", in);
}

// Running sums in double per trace; the block of input is copied first so that
// in == out works (a sample is still needed after its output is written).
void dewow_cpu(ConstBScanView in, std::size_t half_width, BScanView out) {
  const std::size_t nt = in.n_traces, ns = in.n_samples;
  const long n_blocks = static_cast<long>((nt + kBlock - 1) / kBlock);
  const long n = static_cast<long>(ns), h = static_cast<long>(half_width);
  parallel::ParallelErrors errors;  // an allocation failure must not escape the region
#pragma omp parallel
  {
    std::vector<float> copy;
    const bool ready = errors.run([&] { copy.resize(ns * kBlock); });
#pragma omp for schedule(static)
    for (long b = 0; b < n_blocks; ++b) {
      if (!ready || errors.failed()) continue;
      const std::size_t j0 = static_cast<std::size_t>(b) * kBlock, j1 = std::min(nt, j0 + kBlock), w = j1 - j0;
      for (std::size_t i = 0; i < ns; ++i) std::copy_n(in.samples + i * nt + j0, w, copy.data() + i * kBlock);
      double sum[kBlock] = {};
      // Window of sample 0: [0, min(h, n-1)].
      const long first_hi = std::min(h, n - 1);
      for (long i = 0; i <= first_hi; ++i) {
        const float* row = copy.data() + static_cast<std::size_t>(i) * kBlock;
        for (std::size_t j = 0; j < w; ++j) sum[j] += row[j];
      }
      for (long i = 0; i < n; ++i) {
        if (i > 0) {
          // Slide from the window of i-1 to that of i: add i+h, drop i-1-h.
          if (i + h <= n - 1) {
            const float* add = copy.data() + static_cast<std::size_t>(i + h) * kBlock;
            for (std::size_t j = 0; j < w; ++j) sum[j] += add[j];
          }
          if (i - 1 - h >= 0) {
            const float* drop = copy.data() + static_cast<std::size_t>(i - 1 - h) * kBlock;
            for (std::size_t j = 0; j < w; ++j) sum[j] -= drop[j];
          }
        }
        const detail::IndexRange r = detail::running_window(i, h, n);
        const double inv_count = 1.0 / static_cast<double>(r.hi - r.lo + 1);
        const float* src = copy.data() + static_cast<std::size_t>(i) * kBlock;
        float* dst = out.samples + static_cast<std::size_t>(i) * nt + j0;
        for (std::size_t j = 0; j < w; ++j) dst[j] = static_cast<float>(src[j] - sum[j] * inv_count);
      }
    }
  }
  errors.rethrow();
}

}  // namespace

void remove_dc(ConstBScanView in, const BScanMetadata& metadata, const TimeWindow& window, BScanView out,
               Device device) {
  preprocessing::check_same_shape("remove_dc", in, as_const(out));
  preprocessing::check_time_axis("remove_dc", metadata);
  const SampleRange r = window_samples(window, metadata, in.n_samples);
  const Device d = preprocessing::choose_device("remove_dc", device, {in.memory, out.memory});
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::remove_dc(in, r.first, r.last, out);
    return;
#endif
  }
  remove_dc_checked(in, r, out);
}

BScan remove_dc(const BScan& in, const TimeWindow& window, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  remove_dc(in.view(), in.metadata, window, out.view(), device);
  HistoryParameters p;
  // The window asked for (infinite ends: JSON null) and the samples it selected.
  const SampleRange used = window_samples(window, in.metadata, in.n_samples());
  p.add("window_start", window.start)
      .add("window_end", window.end)
      .add("first_sample", used.first)
      .add("last_sample", used.last);
  append_history(out.history, "remove_dc", p);
  return out;
}

void dewow(ConstBScanView in, const BScanMetadata& metadata, double window, BScanView out, Device device) {
  preprocessing::check_same_shape("dewow", in, as_const(out));
  preprocessing::check_time_axis("dewow", metadata);
  preprocessing::require_finite("dewow", "window", window);
  const double trace_length = metadata.dt * static_cast<double>(in.n_samples);
  if (window < metadata.dt * (1.0 - 1e-9) || window > trace_length * (1.0 + 1e-9)) {
    std::ostringstream valid;
    valid << "the window (s) must span at least one sample (dt = " << metadata.dt
          << " s) and at most the trace (" << trace_length << " s)";
    throw_parameter("dewow", "window", window, valid.str());
  }
  // round(window / dt) samples, made odd by taking half of it each side.
  const std::size_t half_width = static_cast<std::size_t>(preprocessing::samples_in(window, metadata.dt)) / 2;
  const Device d = preprocessing::choose_device("dewow", device, {in.memory, out.memory});
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::dewow(in, half_width, out);
    return;
#endif
  }
  preprocessing::check_input_finite("dewow", in);
  dewow_cpu(in, half_width, out);
}

BScan dewow(const BScan& in, double window, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  dewow(in.view(), in.metadata, window, out.view(), device);
  // The window asked for, and the one used: round(window / dt) samples made odd.
  const std::size_t half_width = static_cast<std::size_t>(preprocessing::samples_in(window, in.metadata.dt)) / 2;
  append_history(out.history, "dewow",
                 HistoryParameters().add("window", window).add("window_samples", 2 * half_width + 1));
  return out;
}

}  // namespace gprproc
