// Gains: validation, dispatch, and the CPU loops (OpenMP over blocks of traces,
// inner loops along the contiguous trace axis).
#include "gprproc/gain.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "gprproc/detail/gain_math.hpp"
#include "parallel_errors.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "gain_cuda.hpp"
#endif

namespace gprproc {

namespace {

using preprocessing::as_const;
using preprocessing::throw_parameter;

constexpr std::size_t kBlock = 64;

BScan like(const BScan& in) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  return out;
}

void check_gain_view(const std::string& op, ConstBScanView in, ConstBScanView gain) {
  validate(gain, (op + " gain").c_str());
  if (gain.n_samples != in.n_samples || (gain.n_traces != 1 && gain.n_traces != in.n_traces)) {
    std::ostringstream msg;
    msg << op << ": the gain has shape (" << gain.n_samples << ", " << gain.n_traces << ") but the data has ("
        << in.n_samples << ", " << in.n_traces << "); give (" << in.n_samples << ", 1) or (" << in.n_samples
        << ", " << in.n_traces << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (gain.memory == Memory::host) {
    for (std::size_t k = 0; k < gain.size(); ++k) {
      const float g = gain.samples[k];
      if (!std::isfinite(g) || g == 0.0f) {
        std::ostringstream msg;
        msg << op << ": gain value " << g << " at sample " << k / gain.n_traces << ", trace " << k % gain.n_traces
            << " is not finite and non-zero";
        throw InvalidArgument(msg.str(), ErrorCode::non_finite);
      }
    }
  }
}

// One pass, row by row along the contiguous trace axis. The NaN/Inf check of
// the input rides along (see preprocessing::all_finite): returns false when a
// sample was not finite. Threads: preprocessing::memory_bound_threads; chunks
// of 16 rows are handed out dynamically.
bool gain_cpu(ConstBScanView in, ConstBScanView gain, bool divide, BScanView out) {
  const std::size_t ns = in.n_samples, nt = in.n_traces;
  const bool per_sample = gain.n_traces == 1;
  const long n_rows = static_cast<long>(ns);
  bool finite = true;
  const int threads = preprocessing::memory_bound_threads(ns * nt);
  (void)threads;  // used by the OpenMP pragma only
#pragma omp parallel for schedule(dynamic, 16) reduction(&& : finite) num_threads(threads)
  for (long il = 0; il < n_rows; ++il) {
    const std::size_t i = static_cast<std::size_t>(il);
    const float* src = in.samples + i * nt;
    float* dst = out.samples + i * nt;
    float zero = 0.0f;
    if (per_sample) {
      const float g = gain.samples[i];
      if (divide) {
#pragma omp simd reduction(+ : zero)
        for (std::size_t j = 0; j < nt; ++j) {
          zero += src[j] * 0.0f;
          dst[j] = src[j] / g;
        }
      } else {
#pragma omp simd reduction(+ : zero)
        for (std::size_t j = 0; j < nt; ++j) {
          zero += src[j] * 0.0f;
          dst[j] = src[j] * g;
        }
      }
    } else {
      const float* g = gain.samples + i * nt;
      if (divide) {
#pragma omp simd reduction(+ : zero)
        for (std::size_t j = 0; j < nt; ++j) {
          zero += src[j] * 0.0f;
          dst[j] = src[j] / g[j];
        }
      } else {
#pragma omp simd reduction(+ : zero)
        for (std::size_t j = 0; j < nt; ++j) {
          zero += src[j] * 0.0f;
          dst[j] = src[j] * g[j];
        }
      }
    }
    finite = finite && zero == 0.0f;
  }
  return finite;
}

void apply_or_remove(const std::string& op, ConstBScanView in, ConstBScanView gain, BScanView out, bool divide,
                     Device device) {
  preprocessing::check_same_shape(op, in, as_const(out));
  check_gain_view(op, in, gain);
  const Device d = preprocessing::choose_device(op, device, {in.memory, gain.memory, out.memory});
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::apply_gain(in, gain, divide, out);
    return;
#endif
  }
  if (gain.memory == Memory::device)
    throw InvalidArgument(op + ": a device-memory gain needs Device::cuda");
  // An in-place call is checked before it is modified; otherwise the check
  // rides on the kernel's pass and a rejected input leaves the output unspecified.
  if (preprocessing::overlaps(in, out)) preprocessing::check_input_finite(op, in);
  if (!gain_cpu(in, gain, divide, out)) preprocessing::confirm_input_finite(op, in);
}

// Running sums of squares per trace (double), the input block copied first so
// that in == out works.
void agc_cpu(ConstBScanView in, std::size_t half_width, double floor, BScanView out, BScanView gain) {
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
      const std::size_t j0 = static_cast<std::size_t>(b) * kBlock, w = std::min(nt - j0, kBlock);
      for (std::size_t i = 0; i < ns; ++i) std::copy_n(in.samples + i * nt + j0, w, copy.data() + i * kBlock);
      double total[kBlock] = {}, sum[kBlock] = {}, level[kBlock];
      for (std::size_t i = 0; i < ns; ++i) {
        const float* row = copy.data() + i * kBlock;
        for (std::size_t j = 0; j < w; ++j) total[j] += static_cast<double>(row[j]) * row[j];
      }
      for (std::size_t j = 0; j < w; ++j) level[j] = floor * std::sqrt(total[j] / static_cast<double>(ns));
      for (long i = 0; i <= std::min(h, n - 1); ++i) {
        const float* row = copy.data() + static_cast<std::size_t>(i) * kBlock;
        for (std::size_t j = 0; j < w; ++j) sum[j] += static_cast<double>(row[j]) * row[j];
      }
      for (long i = 0; i < n; ++i) {
        if (i > 0) {
          if (i + h <= n - 1) {
            const float* add = copy.data() + static_cast<std::size_t>(i + h) * kBlock;
            for (std::size_t j = 0; j < w; ++j) sum[j] += static_cast<double>(add[j]) * add[j];
          }
          if (i - 1 - h >= 0) {
            const float* drop = copy.data() + static_cast<std::size_t>(i - 1 - h) * kBlock;
            for (std::size_t j = 0; j < w; ++j) sum[j] -= static_cast<double>(drop[j]) * drop[j];
          }
        }
        const detail::IndexRange r = detail::running_window(i, h, n);
        const long count = r.hi - r.lo + 1;
        const float* src = copy.data() + static_cast<std::size_t>(i) * kBlock;
        float* dst = out.samples + static_cast<std::size_t>(i) * nt + j0;
        float* g = gain.samples ? gain.samples + static_cast<std::size_t>(i) * nt + j0 : nullptr;
        for (std::size_t j = 0; j < w; ++j) {
          const float gj = detail::agc_gain(sum[j], count, level[j]);
          dst[j] = src[j] * gj;
          if (g) g[j] = gj;
        }
      }
    }
  }
  errors.rethrow();
}

}  // namespace

std::vector<float> time_gain_curve(const BScanMetadata& metadata, std::size_t n_samples, const TimeGain& gain) {
  const std::string op = "time_gain";
  preprocessing::check_time_axis("time_gain", metadata);
  preprocessing::require_finite(op, "power", gain.power);
  preprocessing::require_finite(op, "exponent", gain.exponent);
  preprocessing::require_finite(op, "reference_time", gain.reference_time);
  if (!(gain.reference_time > 0.0))
    throw_parameter(op, "reference_time", gain.reference_time, "it must be a positive time (s)");
  std::vector<float> curve(n_samples);
  for (std::size_t i = 0; i < n_samples; ++i) {
    const double t = (gain.origin == GainTimeOrigin::time_zero ? metadata.t0 : 0.0) +
                     metadata.dt * static_cast<double>(i);
    const double g = detail::time_gain_value(t, metadata.dt, gain.power, gain.exponent, gain.reference_time);
    if (!(g >= FLT_MIN && g <= FLT_MAX)) {
      std::ostringstream msg;
      msg << "time_gain: the gain at t = " << t << " s is " << g << ", outside the float range; reduce 'power' ("
          << gain.power << ") or 'exponent' (" << gain.exponent
          << " 1/s), or choose a 'reference_time' near the trace's times";
      throw InvalidArgument(msg.str());
    }
    curve[i] = static_cast<float>(g);
  }
  return curve;
}

std::vector<float> time_gain(ConstBScanView in, const BScanMetadata& metadata, const TimeGain& gain, BScanView out,
                             Device device) {
  preprocessing::check_same_shape("time_gain", in, as_const(out));
  std::vector<float> curve = time_gain_curve(metadata, in.n_samples, gain);
  apply_or_remove("time_gain", in, ConstBScanView{curve.data(), curve.size(), 1, Memory::host}, out, false, device);
  return curve;
}

BScan time_gain(const BScan& in, const TimeGain& gain, Device device, std::vector<float>* curve) {
  BScan out = like(in);
  std::vector<float> c = time_gain(in.view(), in.metadata, gain, out.view(), device);
  HistoryParameters p;
  p.add("power", gain.power)
      .add("exponent", gain.exponent)
      .add("reference_time", gain.reference_time)
      .add("origin", gain.origin == GainTimeOrigin::time_zero ? "time_zero" : "first_sample");
  append_history(out.history, "time_gain", p);
  if (curve) *curve = std::move(c);
  return out;
}

BScan power_gain(const BScan& in, double power, Device device, std::vector<float>* curve) {
  TimeGain g;
  g.power = power;
  return time_gain(in, g, device, curve);
}

BScan exponential_gain(const BScan& in, double exponent, Device device, std::vector<float>* curve) {
  TimeGain g;
  g.exponent = exponent;
  return time_gain(in, g, device, curve);
}

void agc(ConstBScanView in, const BScanMetadata& metadata, const AgcOptions& options, BScanView out, BScanView gain,
         Device device) {
  const std::string op = "agc";
  preprocessing::check_same_shape(op, in, as_const(out));
  if (gain.samples) preprocessing::check_same_shape(op, in, as_const(gain), "gain");
  preprocessing::check_time_axis(op, metadata);
  preprocessing::require_finite(op, "window", options.window);
  const double trace_length = metadata.dt * static_cast<double>(in.n_samples);
  if (options.window < metadata.dt * (1.0 - 1e-9) || options.window > trace_length * (1.0 + 1e-9)) {
    std::ostringstream valid;
    valid << "the window (s) must span at least one sample (dt = " << metadata.dt << " s) and at most the trace ("
          << trace_length << " s)";
    throw_parameter(op, "window", options.window, valid.str());
  }
  preprocessing::require_finite(op, "floor", options.floor);
  if (!(options.floor > 0.0 && options.floor <= 1.0))
    throw_parameter(op, "floor", options.floor, "it is a fraction of the trace RMS in (0, 1]");
  const std::size_t half_width = static_cast<std::size_t>(preprocessing::samples_in(options.window, metadata.dt)) / 2;
  const Device d = preprocessing::choose_device(op, device,
                                                {in.memory, out.memory, gain.samples ? gain.memory : in.memory});
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::agc(in, half_width, options.floor, out, gain);
    return;
#endif
  }
  preprocessing::check_input_finite(op, in);
  agc_cpu(in, half_width, options.floor, out, gain);
}

BScan agc(const BScan& in, const AgcOptions& options, Device device, BScan* gain) {
  BScan out = like(in);
  BScan g;
  if (gain) g = BScan(in.n_samples(), in.n_traces(), in.metadata);
  agc(in.view(), in.metadata, options, out.view(), gain ? g.view() : BScanView{}, device);
  // The window asked for, and the one used: round(window / dt) samples made odd.
  const std::size_t half_width = static_cast<std::size_t>(preprocessing::samples_in(options.window, in.metadata.dt)) / 2;
  append_history(out.history, "agc",
                 HistoryParameters()
                     .add("window", options.window)
                     .add("window_samples", 2 * half_width + 1)
                     .add("floor", options.floor));
  if (gain) {
    g.history = in.history;
    append_history(g.history, "agc_gain",
                   HistoryParameters().add("window", options.window).add("floor", options.floor));
    *gain = std::move(g);
  }
  return out;
}

void apply_gain(ConstBScanView in, ConstBScanView gain, BScanView out, Device device) {
  apply_or_remove("apply_gain", in, gain, out, false, device);
}

void remove_gain(ConstBScanView in, ConstBScanView gain, BScanView out, Device device) {
  apply_or_remove("remove_gain", in, gain, out, true, device);
}

namespace {
BScan gain_step(const BScan& in, ConstBScanView gain, bool divide, Device device) {
  BScan out = like(in);
  apply_or_remove(divide ? "remove_gain" : "apply_gain", in.view(), gain, out.view(), divide, device);
  append_history(out.history, divide ? "remove_gain" : "apply_gain",
                 HistoryParameters().add("per_trace", gain.n_traces != 1));
  return out;
}
}  // namespace

BScan apply_gain(const BScan& in, const std::vector<float>& curve, Device device) {
  return gain_step(in, ConstBScanView{curve.data(), curve.size(), 1, Memory::host}, false, device);
}
BScan remove_gain(const BScan& in, const std::vector<float>& curve, Device device) {
  return gain_step(in, ConstBScanView{curve.data(), curve.size(), 1, Memory::host}, true, device);
}
BScan apply_gain(const BScan& in, const BScan& gain, Device device) {
  return gain_step(in, gain.view(), false, device);
}
BScan remove_gain(const BScan& in, const BScan& gain, Device device) {
  return gain_step(in, gain.view(), true, device);
}

}  // namespace gprproc
