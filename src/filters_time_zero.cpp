// Time-zero correction: first-break picking and sub-sample trace shifts
// (Kaiser-windowed sinc), validation, dispatch and the CPU loops.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "gprproc/filters.hpp"
#include "parallel_errors.hpp"
#include "row_kernels.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "filters_cuda.hpp"
#endif

namespace gprproc {

namespace {

using preprocessing::as_const;
using preprocessing::throw_parameter;

void check_half_width(const std::string& op, int half_width) {
  if (half_width < 2 || half_width > detail::kMaxSincHalfWidth)
    throw_parameter(op, "interpolation_half_width", half_width, "it must be 2..32 samples");
}

void check_options(const TimeZeroOptions& o) {
  const std::string op = "time zero";
  preprocessing::require_finite(op, "threshold", o.threshold);
  if (!(o.threshold > 0.0 && o.threshold <= 1.0))
    throw_parameter(op, "threshold", o.threshold, "it is a fraction of the trace maximum in (0, 1]");
  preprocessing::require_finite(op, "first_break_time", o.first_break_time);
  check_half_width(op, o.interpolation_half_width);
}

int method_code(FirstBreakMethod m) {
  switch (m) {
    case FirstBreakMethod::amplitude_threshold: return 0;
    case FirstBreakMethod::envelope_threshold: return 1;
    case FirstBreakMethod::direct_wave_peak: return 2;
  }
  return 0;
}

const char* method_name(FirstBreakMethod m) {
  switch (m) {
    case FirstBreakMethod::amplitude_threshold: return "amplitude_threshold";
    case FirstBreakMethod::envelope_threshold: return "envelope_threshold";
    case FirstBreakMethod::direct_wave_peak: return "direct_wave_peak";
  }
  return "?";
}

// Fractional sample indices of the first breaks (-1: none).
std::vector<double> pick_indices(ConstBScanView in, const BScanMetadata& metadata, const TimeZeroOptions& o,
                                 Device device) {
  const Device d = preprocessing::choose_device("pick_first_breaks", device, {in.memory});
  std::vector<double> picks(in.n_traces, -1.0);
  const int method = method_code(o.method);
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::pick_first_breaks(in, method, o.threshold, o.interpolation_half_width,
                                    detail::padded_fft_length(in.n_samples), picks.data());
    return picks;
#endif
  }
  preprocessing::check_input_finite("pick_first_breaks", in);
  ConstBScanView traces = in;
  std::vector<float> env;
  if (method == 1) {  // threshold on the envelope: pick on the envelope itself
    env.resize(in.size());
    hilbert(in, metadata, BScanView{env.data(), in.n_samples, in.n_traces, Memory::host}, BScanView{},
            Device::cpu);
    traces = ConstBScanView{env.data(), in.n_samples, in.n_traces, Memory::host};
  }
  // Blocks of kPickBlock traces are copied into contiguous columns first:
  // the search reads each trace's samples many times (about 40 windowed-sinc
  // evaluations), and in place they lie a whole row apart, often in one
  // cache set (rows of 4 KiB multiples).
  constexpr std::size_t kPickBlock = 64;
  const std::size_t ns = in.n_samples, nt = in.n_traces;
  const long n_blocks = static_cast<long>((nt + kPickBlock - 1) / kPickBlock);
  const std::size_t column = ns + 16;  // not a multiple of 4 KiB
  parallel::ParallelErrors errors;  // an allocation failure must not escape the region
#pragma omp parallel
  {
    std::vector<float> columns;
    const bool ready = errors.run([&] { columns.resize(kPickBlock * column); });
#pragma omp for schedule(dynamic)
    for (long b = 0; b < n_blocks; ++b) {
      if (!ready || errors.failed()) continue;
      const std::size_t j0 = static_cast<std::size_t>(b) * kPickBlock;
      const std::size_t w = std::min(kPickBlock, nt - j0);
      row_kernels::traces_to_columns(traces.samples, ns, nt, j0, w, columns.data(), column, 0);
      for (std::size_t l = 0; l < w; ++l)
        picks[j0 + l] = detail::pick_first_break(columns.data() + l * column, 1, static_cast<long>(ns), method,
                                                 o.threshold, o.interpolation_half_width);
    }
  }
  errors.rethrow();
  return picks;
}

// Shifts in samples, one per trace.
void shift_in_samples(ConstBScanView in, const std::vector<double>& shifts, int half_width, BScanView out,
                      Device d) {
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::shift_traces(in, shifts, half_width, out);
    return;
#endif
  }
  preprocessing::check_input_finite("shift_traces", in);
  const std::size_t ns = in.n_samples, nt = in.n_traces;
  // The shift of a trace is constant, so each trace is a 2 * half_width-tap
  // FIR filter of itself. Blocks of kShiftBlock traces are copied into
  // zero-padded columns (one contiguous run per trace), filtered down each
  // column (vectorised over output samples) and written back. A block reads
  // all of its input before it writes, so in == out needs no copy. Each
  // output is the same sum, in the same tap order, as apply_sinc_weights
  // (taps outside the trace add zeros instead of being skipped).
  constexpr std::size_t kShiftBlock = 64;
  const int taps = 2 * half_width;
  const long n = static_cast<long>(ns);
  const std::size_t pad = 2 * static_cast<std::size_t>(half_width);  // zeros each side of a column
  const std::size_t column = ns + 2 * pad;
  const std::size_t result_stride = ns + 16;  // not a multiple of 4 KiB: the columns would share cache sets
  const long n_blocks = static_cast<long>((nt + kShiftBlock - 1) / kShiftBlock);
  parallel::ParallelErrors errors;  // an allocation failure must not escape the region
#pragma omp parallel
  {
    std::vector<float> columns, result;
    const bool ready = errors.run([&] {
      columns.assign(kShiftBlock * column, 0.0f);
      result.resize(kShiftBlock * result_stride);
    });
    float weights[2 * detail::kMaxSincHalfWidth];
#pragma omp for schedule(dynamic)
    for (long b = 0; b < n_blocks; ++b) {
      if (!ready || errors.failed()) continue;
      const std::size_t j0 = static_cast<std::size_t>(b) * kShiftBlock;
      const std::size_t w = std::min(kShiftBlock, nt - j0);
      row_kernels::traces_to_columns(in.samples, ns, nt, j0, w, columns.data(), column, pad);
      for (std::size_t l = 0; l < w; ++l) {
        const double base = std::floor(shifts[j0 + l]);
        const long whole = static_cast<long>(base);
        const float* x = columns.data() + l * column;
        float* y = result.data() + l * result_stride;
        std::fill(y, y + ns, 0.0f);
        if (shifts[j0 + l] == base) {  // whole samples: a copy
          for (long i = std::max(0L, -whole); i < std::min(n, n - whole); ++i) y[i] = x[pad + i + whole];
          continue;
        }
        detail::sinc_weights(shifts[j0 + l] - base, half_width, weights);
        // Output i reads samples i + whole - half_width + 1 .. i + whole + half_width;
        // it is zero unless that range meets [0, n).
        // Tap by tap over all outputs: the same additions in the same order,
        // with the inner loop vectorised over i.
        const long lo = std::max(0L, -whole - half_width), hi = std::min(n, n - whole + half_width - 1);
        if (lo < hi)
          for (int t = 0; t < taps; ++t)
            row_kernels::row_axpy(y + lo, x + pad + (whole - half_width + 1 + t) + lo, weights[t],
                                  static_cast<std::size_t>(hi - lo));
      }
      row_kernels::columns_to_traces(result.data(), result_stride, ns, nt, j0, w, out.samples);
    }
  }
  errors.rethrow();
}

}  // namespace

std::vector<double> pick_first_breaks(ConstBScanView in, const BScanMetadata& metadata,
                                      const TimeZeroOptions& options, Device device) {
  validate(in, "pick_first_breaks input");
  preprocessing::check_time_axis("pick_first_breaks", metadata);
  check_options(options);
  std::vector<double> picks = pick_indices(in, metadata, options, device);
  for (double& p : picks)
    p = p < 0.0 ? std::numeric_limits<double>::quiet_NaN() : metadata.t0 + p * metadata.dt;
  return picks;
}

void shift_traces(ConstBScanView in, const BScanMetadata& metadata, const std::vector<double>& shifts,
                  BScanView out, int interpolation_half_width, Device device) {
  preprocessing::check_same_shape("shift_traces", in, as_const(out));
  preprocessing::check_time_axis("shift_traces", metadata);
  check_half_width("shift_traces", interpolation_half_width);
  if (shifts.size() != 1 && shifts.size() != in.n_traces) {
    std::ostringstream msg;
    msg << "shift_traces: " << shifts.size() << " shifts given for " << in.n_traces
        << " traces; give one shift for all traces or one per trace";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  std::vector<double> samples(in.n_traces);
  const double duration = metadata.dt * static_cast<double>(in.n_samples);
  for (std::size_t j = 0; j < in.n_traces; ++j) {
    const double s = shifts.size() == 1 ? shifts[0] : shifts[j];
    if (!std::isfinite(s)) throw_parameter("shift_traces", "shifts[" + std::to_string(j) + "]", s, "shifts must be finite (s)");
    // A shift past the record would leave nothing but zeros (and its sample
    // count could overflow an integer): a unit slip, refused.
    if (std::fabs(s) >= duration) {
      std::ostringstream valid;
      valid << "a shift (s) must be shorter than the record (" << in.n_samples << " samples x dt " << metadata.dt
            << " s = " << duration << " s), else the trace would be all zeros";
      throw_parameter("shift_traces", "shifts[" + std::to_string(j) + "]", s, valid.str());
    }
    samples[j] = s / metadata.dt;
  }
  const Device d = preprocessing::choose_device("shift_traces", device, {in.memory, out.memory});
  shift_in_samples(in, samples, interpolation_half_width, out, d);
}

std::vector<double> correct_time_zero(ConstBScanView in, const BScanMetadata& metadata,
                                      const TimeZeroOptions& options, BScanView out, Device device) {
  preprocessing::check_same_shape("correct_time_zero", in, as_const(out));
  preprocessing::check_time_axis("correct_time_zero", metadata);
  check_options(options);
  // Where the first breaks go must be on the record (1.0 meant as 1 ns would shift every trace away).
  plausibility::check_time_in_record("correct_time_zero: first_break_time", options.first_break_time, metadata,
                                     in.n_samples);
  const Device d = preprocessing::choose_device("correct_time_zero", device, {in.memory, out.memory});
  const std::vector<double> picks = pick_indices(in, metadata, options, d);
  const double target = (options.first_break_time - metadata.t0) / metadata.dt;  // fractional sample
  std::vector<double> shifts(in.n_traces, 0.0);
  std::vector<double> times(in.n_traces, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t j = 0; j < in.n_traces; ++j) {
    if (picks[j] < 0.0) continue;  // no first break: leave the trace as it is
    shifts[j] = picks[j] - target;
    times[j] = metadata.t0 + picks[j] * metadata.dt;
  }
  shift_in_samples(in, shifts, options.interpolation_half_width, out, d);
  return times;
}

BScan correct_time_zero(const BScan& in, const TimeZeroOptions& options, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  correct_time_zero(in.view(), in.metadata, options, out.view(), device);
  HistoryParameters p;
  p.add("method", method_name(options.method))
      .add("threshold", options.threshold)
      .add("first_break_time", options.first_break_time)
      .add("interpolation_half_width", options.interpolation_half_width);
  append_history(out.history, "correct_time_zero", p);
  return out;
}

BScan shift_time_zero(const BScan& in, double time_zero, int interpolation_half_width, Device device) {
  preprocessing::require_finite("shift_time_zero", "time_zero", time_zero);
  preprocessing::check_time_axis("shift_time_zero", in.metadata);
  plausibility::check_time_in_record("shift_time_zero: time_zero", time_zero, in.metadata, in.n_samples());
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  shift_traces(in.view(), in.metadata, {time_zero}, out.view(), interpolation_half_width, device);
  HistoryParameters p;
  p.add("time_zero", time_zero).add("interpolation_half_width", interpolation_half_width);
  append_history(out.history, "shift_time_zero", p);
  return out;
}

}  // namespace gprproc
