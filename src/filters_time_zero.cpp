// Time-zero correction: first-break picking and sub-sample trace shifts
// (Lanczos-windowed sinc), validation, dispatch and the CPU loops.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "gprproc/filters.hpp"

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
  const long nt = static_cast<long>(in.n_traces);
#pragma omp parallel for schedule(dynamic, 16)
  for (long j = 0; j < nt; ++j)
    picks[static_cast<std::size_t>(j)] =
        detail::pick_first_break(traces.samples + j, in.n_traces, static_cast<long>(in.n_samples), method,
                                 o.threshold, o.interpolation_half_width);
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
  // Reads a copy so that in == out works (the sinc reaches samples already written).
  std::vector<float> copy;
  const float* src = in.samples;
  if (static_cast<const void*>(in.samples) == static_cast<const void*>(out.samples)) {
    copy.assign(in.samples, in.samples + in.size());
    src = copy.data();
  }
  // The shift of a trace is constant, so its tap weights are computed once.
  const std::size_t taps = 2 * static_cast<std::size_t>(half_width);
  std::vector<float> weights(nt * taps);
  std::vector<long> whole(nt);
  std::vector<bool> exact(nt);
  for (std::size_t j = 0; j < nt; ++j) {
    const double base = std::floor(shifts[j]);
    whole[j] = static_cast<long>(base);
    exact[j] = shifts[j] == base;
    detail::sinc_weights(shifts[j] - base, half_width, weights.data() + j * taps);
  }
  const long n_rows = static_cast<long>(ns);
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n_rows; ++i) {
    for (std::size_t j = 0; j < nt; ++j) {
      const long k0 = i + whole[j];
      float v;
      if (exact[j])
        v = (k0 >= 0 && k0 < n_rows) ? src[static_cast<std::size_t>(k0) * nt + j] : 0.0f;
      else
        v = detail::apply_sinc_weights(src + j, nt, n_rows, k0, weights.data() + j * taps, half_width);
      out.samples[static_cast<std::size_t>(i) * nt + j] = v;
    }
  }
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
  for (std::size_t j = 0; j < in.n_traces; ++j) {
    const double s = shifts.size() == 1 ? shifts[0] : shifts[j];
    if (!std::isfinite(s)) throw_parameter("shift_traces", "shifts[" + std::to_string(j) + "]", s, "shifts must be finite (s)");
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
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  shift_traces(in.view(), in.metadata, {time_zero}, out.view(), interpolation_half_width, device);
  HistoryParameters p;
  p.add("time_zero", time_zero).add("interpolation_half_width", interpolation_half_width);
  append_history(out.history, "shift_time_zero", p);
  return out;
}

}  // namespace gprproc
