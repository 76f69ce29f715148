// Target detection on depth images: validation, dispatch and the CPU backend.
#include "gprproc/detect.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "gprproc/detail/detect_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"
#include "parallel_errors.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "../cuda/detect_cuda.hpp"
#endif

namespace gprproc {

namespace {

[[noreturn]] void bad(const std::string& name, double value, const std::string& valid) {
  std::ostringstream msg;
  msg << "detect: parameter '" << name << "' = " << value << " is invalid; " << valid;
  throw InvalidArgument(msg.str());
}

struct Window {
  std::size_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;  // rows [r0, r1), columns [c0, c1)
  bool empty() const { return r0 >= r1 || c0 >= c1; }
};

Window search_window(std::size_t n_z, std::size_t n_x, const ImageGrid& grid, const DetectOptions& o) {
  Window w;
  const double first = std::ceil((o.min_depth - grid.z0) / grid.dz - 1e-9);
  w.r0 = first <= 0 ? 0 : static_cast<std::size_t>(std::min(first, double(n_z)));
  if (std::isinf(o.max_depth)) {
    w.r1 = n_z;
  } else {
    const double last = std::floor((o.max_depth - grid.z0) / grid.dz + 1e-9);
    w.r1 = last < 0 ? 0 : static_cast<std::size_t>(std::min(last + 1.0, double(n_z)));
  }
  const double margin = std::ceil(o.edge_margin / grid.dx - 1e-9);
  const std::size_t m = static_cast<std::size_t>(std::min(margin, double(n_x)));
  w.c0 = m;
  w.c1 = n_x > m ? n_x - m : 0;
  return w;
}

// Lower median (element (n - 1) / 2 of the sorted values), as the CUDA backend.
double lower_median(std::vector<float>& values) {
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

struct Peak {
  std::size_t index;
  float value;
};

Detection finish(std::vector<Peak> peaks, const float* envelope_host_or_null, std::size_t n_x, const ImageGrid& grid,
                 const DetectOptions& o, double median, double sigma, double level) {
  (void)envelope_host_or_null;
  Detection result;
  result.background_median = median;
  result.background_sigma = sigma;
  result.level = level;
  result.candidates = peaks.size();
  std::sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) {
    return a.value != b.value ? a.value > b.value : a.index < b.index;
  });
  for (const Peak& p : peaks) {
    if (result.targets.size() >= o.max_targets) break;
    Target t;
    t.row = p.index / n_x;
    t.column = p.index % n_x;
    t.x = grid.position_of_column(t.column);
    t.depth = grid.depth_of_row(t.row);
    t.amplitude = p.value;
    t.snr = detail::signal_to_noise(p.value, median, sigma);
    bool close = false;
    for (const Target& a : result.targets)
      close = close || std::hypot(a.x - t.x, a.depth - t.depth) < o.min_separation;
    if (!close) result.targets.push_back(t);
  }
  return result;
}

BScanMetadata depth_as_time(const ImageGrid& grid) {
  BScanMetadata m;
  // The Hilbert transform along rows does not depend on the row spacing; a
  // nominal sample interval keeps the time-axis plausibility check (made for
  // times in seconds, not depths in metres) out of the way.
  m.dt = 1e-9;
  m.t0 = grid.z0;
  m.dx = grid.dx;
  m.x0 = grid.x0;
  return m;
}

void check_grid(const ImageGrid& grid) {
  if (!(std::isfinite(grid.dz) && grid.dz > 0)) bad("grid.dz", grid.dz, "the depth step (m) must be positive");
  if (!(std::isfinite(grid.dx) && grid.dx > 0)) bad("grid.dx", grid.dx, "the column spacing (m) must be positive");
  if (!std::isfinite(grid.z0)) bad("grid.z0", grid.z0, "it must be finite");
  if (!std::isfinite(grid.x0)) bad("grid.x0", grid.x0, "it must be finite");
}

Detection detect_cpu(ConstBScanView image, const ImageGrid& grid, const DetectOptions& o, const Window& w) {
  const std::size_t n_z = image.n_samples, n_x = image.n_traces;
  check_finite(image, "detect: image");
  std::vector<float> env(image.size());
  if (o.use_envelope) {
    hilbert(image, depth_as_time(grid), BScanView{env.data(), n_z, n_x, Memory::host}, BScanView{}, Device::cpu);
  } else {
    for (std::size_t k = 0; k < env.size(); ++k) env[k] = std::abs(image.samples[k]);
  }
  std::vector<float> values;
  values.reserve((w.r1 - w.r0) * (w.c1 - w.c0));
  for (std::size_t i = w.r0; i < w.r1; ++i)
    for (std::size_t j = w.c0; j < w.c1; ++j) values.push_back(env[i * n_x + j]);
  const double largest = *std::max_element(values.begin(), values.end());
  const double median = lower_median(values);
  for (float& v : values) v = static_cast<float>(std::abs(v - median));
  const double sigma = detail::mad_to_sigma * lower_median(values);
  const double level = std::max(median + o.threshold * sigma, o.relative_threshold * largest);
  const float level_f = static_cast<float>(level);

  std::vector<Peak> peaks;
  parallel::ParallelErrors errors;  // push_back allocates: a failure must not escape the region
#pragma omp parallel
  {
    std::vector<Peak> local;
#pragma omp for nowait
    for (std::ptrdiff_t ii = static_cast<std::ptrdiff_t>(w.r0); ii < static_cast<std::ptrdiff_t>(w.r1); ++ii) {
      const std::size_t i = static_cast<std::size_t>(ii);
      errors.run([&] {
        for (std::size_t j = w.c0; j < w.c1; ++j)
          if (detail::is_peak(env.data(), n_z, n_x, i, j, level_f)) local.push_back({i * n_x + j, env[i * n_x + j]});
      });
    }
#pragma omp critical
    errors.run([&] { peaks.insert(peaks.end(), local.begin(), local.end()); });
  }
  errors.rethrow();
  return finish(std::move(peaks), env.data(), n_x, grid, o, median, sigma, level);
}

}  // namespace

void validate(const DetectOptions& o) {
  if (!(std::isfinite(o.threshold) && o.threshold > 0))
    bad("threshold", o.threshold, "the snr a target must reach must be positive (e.g. 8)");
  if (!(o.relative_threshold >= 0 && o.relative_threshold <= 1))
    bad("relative_threshold", o.relative_threshold, "it must be in [0, 1]");
  if (!(std::isfinite(o.min_separation) && o.min_separation > 0))
    bad("min_separation", o.min_separation, "the minimum separation (m) must be positive and finite");
  if (!(std::isfinite(o.min_depth) && o.min_depth >= 0))
    bad("min_depth", o.min_depth, "it must be finite and >= 0 m");
  if (!(o.max_depth > o.min_depth)) bad("max_depth", o.max_depth, "it must be greater than min_depth");
  if (!(std::isfinite(o.edge_margin) && o.edge_margin >= 0))
    bad("edge_margin", o.edge_margin, "it must be finite and >= 0 m");
  if (o.max_targets < 1) bad("max_targets", double(o.max_targets), "it must be at least 1");
}

Detection detect(ConstBScanView image, const ImageGrid& grid, const DetectOptions& options, Device device) {
  validate(options);
  validate(image, "detect: image");
  check_grid(grid);
  const Window w = search_window(image.n_samples, image.n_traces, grid, options);
  if (w.empty())
    throw InvalidArgument("detect: the search window (min_depth, max_depth, edge_margin) holds no pixel of the "
                          "image; widen it");
  Device d = image.memory == Memory::device ? resolve_device(device == Device::cpu ? Device::cuda : device)
                                            : resolve_device(device);
  if (image.memory == Memory::device && device == Device::cpu)
    throw InvalidArgument("detect: a device-memory image needs Device::cuda (or automatic), not Device::cpu");
#ifdef GPRPROC_HAS_CUDA
  if (d == Device::cuda) {
    std::vector<std::size_t> indices;
    std::vector<float> values;
    const cuda_backend::DetectStatistics s = cuda_backend::detect_peaks(
        image, depth_as_time(grid), options.use_envelope, w.r0, w.r1, w.c0, w.c1, options.threshold,
        options.relative_threshold, indices, values);
    std::vector<Peak> peaks(indices.size());
    for (std::size_t k = 0; k < indices.size(); ++k) peaks[k] = {indices[k], values[k]};
    return finish(std::move(peaks), nullptr, image.n_traces, grid, options, s.median, s.sigma, s.level);
  }
#endif
  (void)d;
  return detect_cpu(image, grid, options, w);
}

Detection detect(const DepthImage& image, const DetectOptions& options, Device device) {
  return detect(image.view(), image.grid, options, device);
}

DepthImage detection_envelope(const DepthImage& image, Device device) {
  validate(image.view(), "detection_envelope: image");
  check_grid(image.grid);
  DepthImage out(image.n_z(), image.n_x(), image.grid, image.velocity);
  out.history = image.history;
  hilbert(image.view(), depth_as_time(image.grid), out.view(), BScanView{}, device);
  append_history(out.history, "detection_envelope", HistoryParameters{});
  return out;
}

}  // namespace gprproc
