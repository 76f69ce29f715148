// Cube operations: each line through the B-scan-level operation, so that a
// line of the result is bit for bit that line processed alone.
#include "gprproc/cube_operations.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/history.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "cube_cuda.hpp"
#endif

namespace gprproc {

namespace {

bool same_metadata(const BScanMetadata& a, const BScanMetadata& b) {
  return a.dt == b.dt && a.t0 == b.t0 && a.dx == b.dx && a.x0 == b.x0 && a.antenna_offset == b.antenna_offset &&
         a.antenna_height == b.antenna_height && a.center_frequency == b.center_frequency &&
         a.component == b.component && a.source == b.source;
}

// The steps a line's operation appended to the cube's history.
History new_steps(const History& before, const History& after, const char* operation, std::size_t line) {
  if (after.size() < before.size())
    throw InvalidArgument(std::string(operation) + " on line " + std::to_string(line) + " dropped history steps");
  return History(after.begin() + static_cast<std::ptrdiff_t>(before.size()), after.end());
}

bool same_steps(const History& a, const History& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (a[k].operation != b[k].operation || a[k].parameters_json != b[k].parameters_json) return false;
  return true;
}

// One step per operation: the lines' common parameters, or every line's own
// under "lines" where data-dependent values differ between lines.
void merge_steps(History& cube_history, const std::vector<History>& per_line) {
  const History& first = per_line.front();
  bool identical = true;
  for (const History& h : per_line) identical = identical && same_steps(h, first);
  if (identical) {
    cube_history.insert(cube_history.end(), first.begin(), first.end());
    return;
  }
  for (std::size_t k = 0; k < first.size(); ++k) {
    std::string lines = "[";
    for (std::size_t j = 0; j < per_line.size(); ++j) {
      const std::string& p = k < per_line[j].size() ? per_line[j][k].parameters_json : std::string("{}");
      lines += (j ? ", " : "") + (p.empty() ? std::string("{}") : p);
    }
    lines += "]";
    HistoryStep step = first[k];
    step.parameters_json = "{\"lines\": " + lines + "}";
    cube_history.push_back(std::move(step));
  }
}

}  // namespace

Cube map_lines(const Cube& in, const char* operation_name, const std::function<BScan(const BScan&)>& operation) {
  validate(in.view(), "cube");
  validate(in.metadata);
  Cube out;
  std::vector<History> per_line;
  per_line.reserve(in.n_lines());
  std::vector<double> positions;
  const bool keep_positions = in.positions.size() == 3 * in.n_lines() * in.n_traces();
  for (std::size_t j = 0; j < in.n_lines(); ++j) {
    BScan result = operation(in.line(j));
    if (j == 0) {
      CubeMetadata m = in.metadata;
      m.line = result.metadata;
      out = Cube(in.n_lines(), result.n_samples(), result.n_traces(), std::move(m));
    } else if (result.n_samples() != out.n_samples() || result.n_traces() != out.n_traces() ||
               !same_metadata(result.metadata, out.metadata.line)) {
      throw InvalidArgument(std::string(operation_name) + " gave line " + std::to_string(j) +
                            " a shape or geometry different from line 0's; it cannot be applied to a cube");
    }
    std::memcpy(out.line_view(j).samples, result.data(), result.size() * sizeof(float));
    per_line.push_back(new_steps(in.history, result.history, operation_name, j));
    if (keep_positions && result.positions.size() == 3 * result.n_traces())
      positions.insert(positions.end(), result.positions.begin(), result.positions.end());
  }
  out.history = in.history;
  merge_steps(out.history, per_line);
  if (positions.size() == 3 * out.n_lines() * out.n_traces()) out.positions = std::move(positions);
  return out;
}

Cube remove_dc(const Cube& in, const TimeWindow& window, Device device) {
  return map_lines(in, "remove_dc", [&](const BScan& b) { return remove_dc(b, window, device); });
}

Cube dewow(const Cube& in, double window, Device device) {
  return map_lines(in, "dewow", [&](const BScan& b) { return dewow(b, window, device); });
}

Cube bandpass(const Cube& in, const BandpassOptions& options, Device device) {
  return map_lines(in, "bandpass", [&](const BScan& b) { return bandpass(b, options, device); });
}

Cube envelope(const Cube& in, Device device) {
  return map_lines(in, "envelope", [&](const BScan& b) { return envelope(b, device); });
}

Cube correct_time_zero(const Cube& in, const TimeZeroOptions& options, Device device) {
  return map_lines(in, "correct_time_zero", [&](const BScan& b) { return correct_time_zero(b, options, device); });
}

Cube shift_time_zero(const Cube& in, double time_zero, int interpolation_half_width, Device device) {
  return map_lines(in, "shift_time_zero",
                   [&](const BScan& b) { return shift_time_zero(b, time_zero, interpolation_half_width, device); });
}

Cube time_gain(const Cube& in, const TimeGain& gain, Device device) {
  return map_lines(in, "time_gain", [&](const BScan& b) { return time_gain(b, gain, device); });
}

Cube agc(const Cube& in, const AgcOptions& options, Device device) {
  return map_lines(in, "agc", [&](const BScan& b) { return agc(b, options, device); });
}

namespace {

void require_same_shape(ConstBScanStackView in, BScanStackView out) {
  if (in.n_bscans != out.n_bscans || in.n_samples != out.n_samples || in.n_traces != out.n_traces)
    throw InvalidArgument("the output cube has shape (" + std::to_string(out.n_bscans) + ", " +
                              std::to_string(out.n_samples) + ", " + std::to_string(out.n_traces) +
                              ") but the input cube has shape (" + std::to_string(in.n_bscans) + ", " +
                              std::to_string(in.n_samples) + ", " + std::to_string(in.n_traces) + "); they must match",
                          ErrorCode::invalid_shape);
}

// Per sample, the mean over every trace of every line (summed in double, all
// sums made before anything is written, so in place works).
void subtract_cube_mean_cpu(ConstBScanStackView in, BScanStackView out) {
  const std::size_t n_lines = in.n_bscans, n_samples = in.n_samples, n_traces = in.n_traces;
  std::vector<double> sums(n_samples, 0.0);
#pragma omp parallel for schedule(static)
  for (long long i = 0; i < static_cast<long long>(n_samples); ++i) {
    double s = 0.0;
    for (std::size_t j = 0; j < n_lines; ++j) {
      const float* row = in.samples + (j * n_samples + static_cast<std::size_t>(i)) * n_traces;
      for (std::size_t t = 0; t < n_traces; ++t) s += row[t];
    }
    sums[static_cast<std::size_t>(i)] = s;
  }
  const double count = static_cast<double>(n_lines) * static_cast<double>(n_traces);
  for (std::size_t j = 0; j < n_lines; ++j) {
#pragma omp parallel for schedule(static)
    for (long long i = 0; i < static_cast<long long>(n_samples); ++i) {
      const float mean = static_cast<float>(sums[static_cast<std::size_t>(i)] / count);
      const std::size_t base = (j * n_samples + static_cast<std::size_t>(i)) * n_traces;
      for (std::size_t t = 0; t < n_traces; ++t) out.samples[base + t] = in.samples[base + t] - mean;
    }
  }
}

}  // namespace

void remove_cube_mean(ConstBScanStackView in, BScanStackView out, Device device) {
  validate(in, "input cube");
  validate(ConstBScanStackView{out.samples, out.n_bscans, out.n_samples, out.n_traces, out.memory}, "output cube");
  require_same_shape(in, out);
  if (in.memory != out.memory)
    throw InvalidArgument("the input and output cubes must both be in host memory or both on the device");
  const Device resolved = resolve_device(device);
  if (in.memory == Memory::host) check_finite(in, "input cube");
  if (resolved == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::subtract_cube_mean(in, out);
    return;
#endif
  }
  if (in.memory == Memory::device)
    throw InvalidArgument("device (GPU) cube memory needs Device::cuda or automatic on a CUDA machine");
  subtract_cube_mean_cpu(in, out);
}

Cube remove_background(const Cube& in, const BackgroundOptions& options, Device device, BackgroundScope scope) {
  if (scope == BackgroundScope::cube) {
    if (options.method != BackgroundMethod::mean)
      throw InvalidArgument(std::string("a cube-wide background is the mean trace only; method ") +
                            to_string(options.method) + " works line by line (BackgroundScope::line)");
    validate(in.metadata);
    Cube out(in.n_lines(), in.n_samples(), in.n_traces(), in.metadata);
    remove_cube_mean(in.view(), out.view(), device);
    out.history = in.history;
    out.positions = in.positions;
    HistoryParameters p;
    p.add("method", "mean").add("scope", "cube").add("device", to_string(resolve_device(device)));
    append_history(out.history, "remove_background", p);
    return out;
  }
  return map_lines(in, "remove_background", [&](const BScan& b) { return remove_background(b, options, device); });
}

DepthImage3D migrate_lines(const Cube& in, MigrationMethod method, const VelocityModel& velocity,
                           const DepthAxis& depth_axis, Device device) {
  validate(in.view(), "cube");
  validate(in.metadata);
  DepthImage3D out;
  for (std::size_t j = 0; j < in.n_lines(); ++j) {
    const DepthImage image = migrate(in.line(j), method, velocity, depth_axis, device);
    if (j == 0) {
      ImageGrid3D grid;
      grid.plane = image.grid;
      grid.dy = in.metadata.dy;
      grid.y0 = in.metadata.y0;
      out = DepthImage3D(in.n_lines(), image.n_z(), image.n_x(), grid, image.velocity);
      out.history = image.history;
      HistoryParameters p;
      p.add("lines", in.n_lines()).add("dy", in.metadata.dy).add("y0", in.metadata.y0);
      append_history(out.history, "migrate_lines", p);
    }
    std::memcpy(out.data() + j * out.n_z() * out.n_x(), image.data(), image.size() * sizeof(float));
  }
  return out;
}

}  // namespace gprproc
