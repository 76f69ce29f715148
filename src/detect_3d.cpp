// 3-D target detection: the envelope per line (on the resolved device), then
// statistics, 3 x 3 x 3 local maxima and suppression on the host.
#include "gprproc/detect_3d.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "gprproc/detail/detect_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"

namespace gprproc {

namespace {

struct Window3D {
  std::size_t l0, l1, r0, r1, c0, c1;  // half-open
  bool empty() const { return l0 >= l1 || r0 >= r1 || c0 >= c1; }
};

std::size_t margin_cells(double margin, double step, std::size_t n) {
  return static_cast<std::size_t>(std::min(std::ceil(margin / step - 1e-9), double(n)));
}

Window3D search_window(ConstBScanStackView image, const ImageGrid3D& grid, const DetectOptions& o) {
  const ImageGrid& g = grid.plane;
  const std::size_t n_lines = image.n_bscans, n_z = image.n_samples, n_x = image.n_traces;
  Window3D w{};
  const double first = std::ceil((o.min_depth - g.z0) / g.dz - 1e-9);
  w.r0 = first <= 0 ? 0 : static_cast<std::size_t>(std::min(first, double(n_z)));
  if (std::isinf(o.max_depth)) {
    w.r1 = n_z;
  } else {
    const double last = std::floor((o.max_depth - g.z0) / g.dz + 1e-9);
    w.r1 = last < 0 ? 0 : static_cast<std::size_t>(std::min(last + 1.0, double(n_z)));
  }
  const std::size_t mx = margin_cells(o.edge_margin, g.dx, n_x);
  w.c0 = mx;
  w.c1 = n_x > mx ? n_x - mx : 0;
  const std::size_t my = margin_cells(o.edge_margin, grid.dy, n_lines);
  w.l0 = my;
  w.l1 = n_lines > my ? n_lines - my : 0;
  return w;
}

double lower_median(std::vector<float>& values) {
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

// A local maximum over the 26 neighbours; ties broken by memory order as in
// the 2-D rule, so a plateau gives one peak.
bool is_peak_3d(const float* env, std::size_t n_l, std::size_t n_z, std::size_t n_x, std::size_t l, std::size_t i,
                std::size_t j, float level) {
  const float v = env[(l * n_z + i) * n_x + j];
  if (!(v >= level)) return false;
  for (int dl = -1; dl <= 1; ++dl)
    for (int di = -1; di <= 1; ++di)
      for (int dj = -1; dj <= 1; ++dj) {
        if (dl == 0 && di == 0 && dj == 0) continue;
        const long long ll = static_cast<long long>(l) + dl, ii = static_cast<long long>(i) + di,
                        jj = static_cast<long long>(j) + dj;
        if (ll < 0 || ii < 0 || jj < 0 || ll >= static_cast<long long>(n_l) || ii >= static_cast<long long>(n_z) ||
            jj >= static_cast<long long>(n_x))
          continue;
        const float u = env[(static_cast<std::size_t>(ll) * n_z + static_cast<std::size_t>(ii)) * n_x +
                            static_cast<std::size_t>(jj)];
        const bool earlier = dl < 0 || (dl == 0 && (di < 0 || (di == 0 && dj < 0)));
        if (earlier ? !(u < v) : !(u <= v)) return false;
      }
  return true;
}

// The Hilbert transform along rows does not depend on their spacing; a
// nominal sample interval keeps the time-axis plausibility check (for seconds,
// not depths in metres) out of the way, as in detect.cpp.
BScanMetadata rows_as_time(const ImageGrid& g) {
  BScanMetadata m;
  m.dt = 1e-9;
  m.t0 = 0.0;
  m.dx = g.dx;
  m.x0 = g.x0;
  return m;
}

void check_grid(const ImageGrid3D& grid) {
  const ImageGrid& g = grid.plane;
  if (!(std::isfinite(g.dz) && g.dz > 0) || !(std::isfinite(g.dx) && g.dx > 0) ||
      !(std::isfinite(grid.dy) && grid.dy > 0) || !std::isfinite(g.z0) || !std::isfinite(g.x0) ||
      !std::isfinite(grid.y0))
    throw InvalidArgument("detect: the 3-D image grid needs positive, finite dz, dx and dy and finite origins");
}

// The Hilbert envelope along depth of every line into host memory `env`
// (the transform runs on the resolved device; device lines stay there).
void envelope_lines(ConstBScanStackView image, const ImageGrid3D& grid, float* env, Device device) {
  const BScanMetadata rows = rows_as_time(grid.plane);
  const std::size_t per_line = image.n_samples * image.n_traces;
  for (std::size_t l = 0; l < image.n_bscans; ++l) {
    const ConstBScanView line = image.bscan(l);
    if (line.memory == Memory::host) check_finite(line, "detect: 3-D image line");
    hilbert(line, rows, BScanView{env + l * per_line, image.n_samples, image.n_traces, Memory::host}, BScanView{},
            device);
  }
}

}  // namespace

DepthImage3D detection_envelope(const DepthImage3D& image, Device device) {
  validate(image.view(), "detect: 3-D image");
  check_grid(image.grid);
  DepthImage3D out(image.n_lines(), image.n_z(), image.n_x(), image.grid, image.velocity);
  out.history = image.history;
  envelope_lines(image.view(), image.grid, out.data(), device);
  append_history(out.history, "detection_envelope", HistoryParameters{});
  return out;
}

Detection3D detect(const DepthImage3D& image, const DetectOptions& o, Device device) {
  return detect(image.view(), image.grid, o, device);
}

Detection3D detect(ConstBScanStackView image, const ImageGrid3D& grid, const DetectOptions& o, Device device) {
  validate(o);
  validate(image, "detect: 3-D image");
  check_grid(grid);
  const Window3D w = search_window(image, grid, o);
  if (w.empty())
    throw InvalidArgument("detect: the search window (min_depth, max_depth, edge_margin) holds no voxel of the "
                          "3-D image; widen it");
  const std::size_t n_l = image.n_bscans, n_z = image.n_samples, n_x = image.n_traces;
  std::vector<float> env(image.size());
  if (o.use_envelope) {
    envelope_lines(image, grid, env.data(), device);
  } else {
    if (image.memory != Memory::host)
      throw InvalidArgument("detect: |image| detection (use_envelope false) needs host memory");
    check_finite(image, "detect: 3-D image");
    for (std::size_t k = 0; k < env.size(); ++k) env[k] = std::abs(image.samples[k]);
  }
  std::vector<float> values;
  values.reserve((w.l1 - w.l0) * (w.r1 - w.r0) * (w.c1 - w.c0));
  for (std::size_t l = w.l0; l < w.l1; ++l)
    for (std::size_t i = w.r0; i < w.r1; ++i)
      for (std::size_t j = w.c0; j < w.c1; ++j) values.push_back(env[(l * n_z + i) * n_x + j]);
  const double largest = *std::max_element(values.begin(), values.end());
  const double median = lower_median(values);
  for (float& v : values) v = static_cast<float>(std::abs(v - median));
  const double sigma = detail::mad_to_sigma * lower_median(values);
  const double level = std::max(median + o.threshold * sigma, o.relative_threshold * largest);
  const float level_f = static_cast<float>(level);

  struct Peak {
    std::size_t index;
    float value;
  };
  std::vector<Peak> peaks;
  for (std::size_t l = w.l0; l < w.l1; ++l)
    for (std::size_t i = w.r0; i < w.r1; ++i)
      for (std::size_t j = w.c0; j < w.c1; ++j)
        if (is_peak_3d(env.data(), n_l, n_z, n_x, l, i, j, level_f))
          peaks.push_back({(l * n_z + i) * n_x + j, env[(l * n_z + i) * n_x + j]});
  std::sort(peaks.begin(), peaks.end(),
            [](const Peak& a, const Peak& b) { return a.value != b.value ? a.value > b.value : a.index < b.index; });

  Detection3D result;
  result.background_median = median;
  result.background_sigma = sigma;
  result.level = level;
  result.candidates = peaks.size();
  for (const Peak& p : peaks) {
    if (result.targets.size() >= o.max_targets) break;
    Target3D t;
    t.line = p.index / (n_z * n_x);
    t.row = (p.index / n_x) % n_z;
    t.column = p.index % n_x;
    t.x = grid.plane.position_of_column(t.column);
    t.y = grid.position_of_line(t.line);
    t.depth = grid.plane.depth_of_row(t.row);
    t.amplitude = p.value;
    t.snr = detail::signal_to_noise(p.value, median, sigma);
    bool close = false;
    for (const Target3D& a : result.targets) {
      const double dx = a.x - t.x, dy = a.y - t.y, dz = a.depth - t.depth;
      close = close || std::sqrt(dx * dx + dy * dy + dz * dz) < o.min_separation;
    }
    if (!close) result.targets.push_back(t);
  }
  return result;
}

}  // namespace gprproc
