// Depth and time slices (C-scans): envelope at a level or RMS in a window,
// one value per line and trace.
#include "gprproc/slice.hpp"

#include <cmath>
#include <sstream>

#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"

namespace gprproc {

namespace {

struct Axis {
  double first, step;
  std::size_t count;
  const char* name;  // "depth" or "time"
  const char* unit;  // "m" or "s"
};

std::string range_text(const Axis& a) {
  std::ostringstream s;
  s.precision(6);
  s << a.first << " .. " << a.first + a.step * static_cast<double>(a.count - 1) << " " << a.unit;
  return s.str();
}

[[noreturn]] void outside(const Axis& a, const char* what, double value) {
  std::ostringstream s;
  s.precision(6);
  s << "slice: the " << what << " " << value << " " << a.unit << " lies outside the " << a.name << " axis ("
    << range_text(a) << ")";
  throw InvalidArgument(s.str());
}

// Rows of (n_lines, n_rows, n_traces) `data` sliced along the row axis.
CScan slice_rows(ConstBScanStackView data, const BScanMetadata& rows_as_time, const Axis& axis, double level,
                 double thickness, Device device) {
  validate(data, "slice input");
  if (!std::isfinite(level)) outside(axis, axis.name, level);
  if (!std::isfinite(thickness) || thickness < 0.0)
    throw InvalidArgument("slice: the thickness/window must be finite and >= 0, got " + std::to_string(thickness));
  const std::size_t n_lines = data.n_bscans, n_rows = data.n_samples, n_traces = data.n_traces;
  const double last = axis.first + axis.step * static_cast<double>(n_rows - 1);
  const double tolerance = 1e-9 * axis.step;
  CScan out;
  out.n_lines = n_lines;
  out.n_traces = n_traces;
  out.values.assign(n_lines * n_traces, 0.0f);
  out.axis = axis.name;
  out.level = level;
  out.thickness = thickness;
  if (thickness == 0.0) {
    if (level < axis.first - tolerance || level > last + tolerance) outside(axis, axis.name, level);
    out.measure = "envelope";
    const double position = std::min(std::max((level - axis.first) / axis.step, 0.0), double(n_rows - 1));
    const std::size_t r0 = static_cast<std::size_t>(std::floor(position));
    const std::size_t r1 = std::min(r0 + 1, n_rows - 1);
    const float f = static_cast<float>(position - double(r0));
    std::vector<float> env(n_rows * n_traces);
    for (std::size_t j = 0; j < n_lines; ++j) {
      const ConstBScanView line = data.bscan(j);
      if (line.memory == Memory::host) check_finite(line, "slice input line");
      hilbert(line, rows_as_time, BScanView{env.data(), n_rows, n_traces, Memory::host}, BScanView{}, device);
      for (std::size_t t = 0; t < n_traces; ++t) {
        const float a = env[r0 * n_traces + t], b = env[r1 * n_traces + t];
        out.values[j * n_traces + t] = a + f * (b - a);
      }
    }
    return out;
  }
  out.measure = "rms";
  const double top = level - 0.5 * thickness, bottom = level + 0.5 * thickness;
  if (top < axis.first - tolerance) outside(axis, "window top", top);
  if (bottom > last + tolerance) outside(axis, "window bottom", bottom);
  const double first_row = std::ceil((top - axis.first) / axis.step - 1e-9);
  const double last_row = std::floor((bottom - axis.first) / axis.step + 1e-9);
  std::size_t r0 = static_cast<std::size_t>(std::max(first_row, 0.0));
  std::size_t r1 = static_cast<std::size_t>(std::min(last_row, double(n_rows - 1)));
  if (r1 < r0) {  // a window thinner than a row: the nearest row
    r0 = r1 = static_cast<std::size_t>(std::lround(std::min(std::max((level - axis.first) / axis.step, 0.0),
                                                            double(n_rows - 1))));
  }
  if (data.memory != Memory::host)
    throw InvalidArgument("slice: an RMS window of device memory is not supported; copy the data to the host");
  const double count = static_cast<double>(r1 - r0 + 1);
  for (std::size_t j = 0; j < n_lines; ++j) {
    const ConstBScanView line = data.bscan(j);
    check_finite(line, "slice input line");
    for (std::size_t t = 0; t < n_traces; ++t) {
      double s = 0.0;
      for (std::size_t r = r0; r <= r1; ++r) {
        const double v = line.samples[r * n_traces + t];
        s += v * v;
      }
      out.values[j * n_traces + t] = static_cast<float>(std::sqrt(s / count));
    }
  }
  return out;
}

}  // namespace

CScan depth_slice(ConstBScanStackView image, const ImageGrid3D& grid, double depth, double thickness,
                  Device device) {
  const ImageGrid& g = grid.plane;
  if (!(std::isfinite(g.dz) && g.dz > 0) || !(std::isfinite(g.dx) && g.dx > 0) ||
      !(std::isfinite(grid.dy) && grid.dy > 0) || !std::isfinite(g.z0) || !std::isfinite(g.x0) ||
      !std::isfinite(grid.y0))
    throw InvalidArgument("depth_slice: the image grid needs positive, finite dz, dx and dy and finite origins");
  BScanMetadata rows;
  // The Hilbert transform along rows does not depend on their spacing: a
  // nominal interval (seconds, not the depth step) passes its time checks.
  rows.dt = 1e-9;
  rows.t0 = 0.0;
  rows.dx = g.dx;
  rows.x0 = g.x0;
  CScan out = slice_rows(image, rows, Axis{g.z0, g.dz, image.n_samples, "depth", "m"}, depth, thickness, device);
  out.x0 = g.x0;
  out.dx = g.dx;
  out.y0 = grid.y0;
  out.dy = grid.dy;
  return out;
}

CScan time_slice(ConstBScanStackView cube, const CubeMetadata& metadata, double time, double window, Device device) {
  validate(metadata);
  const BScanMetadata& m = metadata.line;
  CScan out = slice_rows(cube, m, Axis{m.t0, m.dt, cube.n_samples, "time", "s"}, time, window, device);
  out.x0 = m.x0;
  out.dx = m.dx;
  out.y0 = metadata.y0;
  out.dy = metadata.dy;
  return out;
}

CScan depth_slice(const DepthImage3D& image, double depth, double thickness, Device device) {
  CScan out = depth_slice(image.view(), image.grid, depth, thickness, device);
  out.history = image.history;
  HistoryParameters p;
  p.add("depth", depth).add("thickness", thickness).add("measure", out.measure);
  append_history(out.history, "depth_slice", p);
  return out;
}

CScan time_slice(const Cube& cube, double time, double window, Device device) {
  CScan out = time_slice(cube.view(), cube.metadata, time, window, device);
  out.history = cube.history;
  HistoryParameters p;
  p.add("time", time).add("window", window).add("measure", out.measure);
  append_history(out.history, "time_slice", p);
  return out;
}

}  // namespace gprproc
