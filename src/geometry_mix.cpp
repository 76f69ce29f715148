// The trace mix (every along-line resampling), its CPU loop and dispatch, and
// the checks and helpers the along-line plans share.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "filters_common.hpp"
#include "geometry_common.hpp"
#include "gprproc/detail/geometry_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/geometry.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "geometry_cuda.hpp"
#endif

namespace gprproc {

namespace geometry_detail {

void check_line(const std::string& operation, const LineGeometry& line) {
  if (line.n_traces == 0) throw InvalidArgument(operation + ": the line has no traces", ErrorCode::invalid_shape);
  preprocessing::require_finite(operation, "x0", line.x0);
  if (!(std::isfinite(line.dx) && line.dx >= 0.0))
    preprocessing::throw_parameter(operation, "dx", line.dx, "the trace spacing (m) must be positive and finite (0: unknown)");
  if (!line.positions.empty()) {
    if (line.positions.size() != 3 * line.n_traces) {
      std::ostringstream msg;
      msg << operation << ": positions hold " << line.positions.size() << " values; " << line.n_traces
          << " traces need n_traces x 3 = " << 3 * line.n_traces << " (x, y, z in m per trace)";
      throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
    }
    for (std::size_t k = 0; k < line.positions.size(); ++k)
      if (!std::isfinite(line.positions[k])) {
        std::ostringstream msg;
        msg << operation << ": position of trace " << k / 3 << " (" << "xyz"[k % 3] << ") is " << line.positions[k]
            << "; positions must be finite (m)";
        throw InvalidArgument(msg.str(), ErrorCode::non_finite);
      }
  }
  for (std::size_t k = 0; k < line.marks.size(); ++k) {
    if (line.marks[k] >= line.n_traces) {
      std::ostringstream msg;
      msg << operation << ": mark " << k << " is at trace " << line.marks[k] << ", beyond the " << line.n_traces
          << " traces of the line";
      throw InvalidArgument(msg.str());
    }
    if (k > 0 && line.marks[k] <= line.marks[k - 1]) {
      std::ostringstream msg;
      msg << operation << ": marks must be increasing trace indices; mark " << k << " (trace " << line.marks[k]
          << ") does not come after mark " << k - 1 << " (trace " << line.marks[k - 1] << ")";
      throw InvalidArgument(msg.str());
    }
  }
}

void check_trace_count(const std::string& operation, const std::string& name, std::size_t count,
                       std::size_t n_traces) {
  if (count < 1 || count > n_traces) {
    std::ostringstream msg;
    msg << operation << ": parameter '" << name << "' = " << count << " is invalid; it must be 1.." << n_traces
        << " (the line's number of traces)";
    throw InvalidArgument(msg.str());
  }
}

std::vector<double> mix_positions(const std::vector<double>& positions, const TraceMix& mix) {
  if (positions.empty()) return {};
  std::vector<double> out(3 * mix.n_out(), 0.0);
  for (std::size_t k = 0; k < mix.n_out(); ++k)
    for (std::size_t w = mix.offsets[k]; w < mix.offsets[k + 1]; ++w)
      for (int c = 0; c < 3; ++c) out[3 * k + c] += mix.weight[w] * positions[3 * mix.index[w] + c];
  return out;
}

std::size_t unused_traces(const TraceMix& mix, std::size_t n_in) {
  std::vector<bool> used(n_in, false);
  for (std::size_t w = 0; w < mix.index.size(); ++w)
    if (mix.weight[w] != 0.0) used[mix.index[w]] = true;
  return static_cast<std::size_t>(std::count(used.begin(), used.end(), false));
}

std::vector<std::size_t> unique_sorted(std::vector<std::size_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

}  // namespace geometry_detail

void validate(const TraceMix& mix, std::size_t n_in) {
  const std::string op = "trace mix";
  if (mix.offsets.size() < 2 || mix.offsets.front() != 0)
    throw InvalidArgument(op + ": offsets must start at 0 and hold n_out + 1 >= 2 entries", ErrorCode::invalid_shape);
  if (mix.index.size() != mix.weight.size() || mix.offsets.back() != mix.index.size()) {
    std::ostringstream msg;
    msg << op << ": " << mix.index.size() << " indices and " << mix.weight.size() << " weights for offsets ending at "
        << mix.offsets.back() << "; the three must agree";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  for (std::size_t k = 1; k < mix.offsets.size(); ++k)
    if (mix.offsets[k] < mix.offsets[k - 1])
      throw InvalidArgument(op + ": offsets must not decrease (output trace " + std::to_string(k - 1) + ")");
  for (std::size_t w = 0; w < mix.index.size(); ++w) {
    if (mix.index[w] >= n_in) {
      std::ostringstream msg;
      msg << op << ": term " << w << " reads trace " << mix.index[w] << " of an input of " << n_in << " traces";
      throw InvalidArgument(msg.str());
    }
    if (!std::isfinite(mix.weight[w])) preprocessing::throw_parameter(op, "weight[" + std::to_string(w) + "]", mix.weight[w], "weights must be finite");
  }
}

void apply_trace_mix(ConstBScanView in, const TraceMix& mix, BScanView out, Device device) {
  const std::string op = "apply_trace_mix";
  validate(in, "apply_trace_mix input");
  validate(preprocessing::as_const(out), "apply_trace_mix output");
  validate(mix, in.n_traces);
  if (out.n_samples != in.n_samples || out.n_traces != mix.n_out()) {
    std::ostringstream msg;
    msg << op << ": the output has shape (" << out.n_samples << ", " << out.n_traces << ") but the mix makes ("
        << in.n_samples << ", " << mix.n_out() << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (preprocessing::overlaps(in, out)) throw InvalidArgument(op + ": the output must not overlap the input");
  const Device d = preprocessing::choose_device(op, device, {in.memory, out.memory});
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::apply_trace_mix(in, mix, out);
    return;
#endif
  }
  preprocessing::check_input_finite(op, in);
  const long ns = static_cast<long>(in.n_samples);
  const std::size_t n_in = in.n_traces, n_out = out.n_traces;
  const std::size_t* offsets = mix.offsets.data();
  const std::size_t* index = mix.index.data();
  const double* weight = mix.weight.data();
  // Rows are independent: each thread takes whole rows (one contiguous read
  // and one contiguous write per row).
#pragma omp parallel for schedule(static) num_threads(preprocessing::memory_bound_threads(in.size() + out.size()))
  for (long i = 0; i < ns; ++i) {
    const float* row = in.samples + static_cast<std::size_t>(i) * n_in;
    float* o = out.samples + static_cast<std::size_t>(i) * n_out;
    for (std::size_t k = 0; k < n_out; ++k) o[k] = detail::mix_sample(row, index, weight, offsets[k], offsets[k + 1]);
  }
}

LineGeometry LineGeometry::of(const BScan& b) {
  LineGeometry line;
  line.n_traces = b.n_traces();
  line.x0 = b.metadata.x0;
  line.dx = b.metadata.dx;
  line.positions = b.positions;
  line.marks = b.marks;
  return line;
}

BScan apply_resampling(const BScan& in, const TraceResampling& plan, Device device) {
  BScan out(in.n_samples(), plan.mix.n_out(), in.metadata);
  apply_trace_mix(in.view(), plan.mix, out.view(), device);
  out.metadata.x0 = plan.geometry.x0;
  out.metadata.dx = plan.geometry.dx;
  out.positions = plan.geometry.positions;
  out.marks = plan.geometry.marks;
  out.history = in.history;
  append_history(out.history, plan.operation, plan.parameters);
  return out;
}

}  // namespace gprproc
