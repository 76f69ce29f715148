#include "gprproc/cube.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <string>

#include "gprproc/error.hpp"

namespace gprproc {

void validate(const CubeMetadata& m) {
  validate(m.line);
  if (!std::isfinite(m.dy) || !(m.dy > 0.0)) {
    std::ostringstream msg;
    msg << "cube metadata 'dy' (line spacing) must be positive and finite (m), got " << m.dy;
    throw InvalidArgument(msg.str());
  }
  if (!std::isfinite(m.y0)) throw InvalidArgument("cube metadata 'y0' must be finite, got " + std::to_string(m.y0));
}

namespace {
std::size_t checked_volume(std::size_t a, std::size_t b, std::size_t c) {
  const std::size_t ab = a * b;
  if (a != 0 && ab / a != b) throw InvalidArgument("cube shape overflows size_t", ErrorCode::invalid_shape);
  const std::size_t abc = ab * c;
  if (ab != 0 && abc / ab != c) throw InvalidArgument("cube shape overflows size_t", ErrorCode::invalid_shape);
  return abc;
}

std::string shape_text(std::size_t a, std::size_t b, std::size_t c) {
  return "(" + std::to_string(a) + ", " + std::to_string(b) + ", " + std::to_string(c) + ")";
}

// The first way `b` differs from the reference line, or "".
std::string difference(const BScan& reference, const BScan& b) {
  std::ostringstream why;
  if (b.n_samples() != reference.n_samples() || b.n_traces() != reference.n_traces()) {
    why << "shape (" << b.n_samples() << ", " << b.n_traces() << ") differs from line 0's (" << reference.n_samples()
        << ", " << reference.n_traces() << ")";
    return why.str();
  }
  const BScanMetadata& r = reference.metadata;
  const BScanMetadata& m = b.metadata;
  const struct {
    const char* name;
    double a, b;
    const char* unit;
  } numbers[] = {{"dt", m.dt, r.dt, "s"},
                 {"t0", m.t0, r.t0, "s"},
                 {"dx", m.dx, r.dx, "m"},
                 {"x0", m.x0, r.x0, "m"},
                 {"antenna_offset", m.antenna_offset, r.antenna_offset, "m"},
                 {"antenna_height", m.antenna_height, r.antenna_height, "m"},
                 {"center_frequency", m.center_frequency, r.center_frequency, "Hz"}};
  for (const auto& n : numbers) {
    // Equal to a few ulps: lines read from one survey carry identical values,
    // while x0 computed per line (x0 = start + k * step) may differ in the last bit.
    const double scale = std::max(std::fabs(n.a), std::fabs(n.b));
    if (std::fabs(n.a - n.b) > 1e-12 * scale) {
      why.precision(17);
      why << n.name << " = " << n.a << " " << n.unit << " differs from line 0's " << n.b << " " << n.unit;
      return why.str();
    }
  }
  if (m.component != r.component)
    return "component '" + m.component + "' differs from line 0's '" + r.component + "'";
  return "";
}
}  // namespace

Cube::Cube(std::size_t n_lines, std::size_t n_samples, std::size_t n_traces, CubeMetadata metadata_)
    : metadata(std::move(metadata_)),
      samples_(checked_volume(n_lines, n_samples, n_traces), 0.0f),
      n_lines_(n_lines),
      n_samples_(n_samples),
      n_traces_(n_traces) {}

Cube::Cube(std::vector<float> samples, std::size_t n_lines, std::size_t n_samples, std::size_t n_traces,
           CubeMetadata metadata_)
    : metadata(std::move(metadata_)),
      samples_(std::move(samples)),
      n_lines_(n_lines),
      n_samples_(n_samples),
      n_traces_(n_traces) {
  const std::size_t expected = checked_volume(n_lines, n_samples, n_traces);
  if (samples_.size() != expected) {
    throw InvalidArgument("cube of shape " + shape_text(n_lines, n_samples, n_traces) + " needs " +
                              std::to_string(expected) + " samples, got " + std::to_string(samples_.size()),
                          ErrorCode::invalid_shape);
  }
}

Cube Cube::from_lines(const std::vector<BScan>& lines, double dy, double y0) {
  if (lines.empty()) throw InvalidArgument("a cube needs at least one line; got none", ErrorCode::invalid_shape);
  const BScan& first = lines.front();
  if (first.empty()) throw InvalidArgument("line 0 is empty; a cube needs lines with samples", ErrorCode::invalid_shape);
  for (std::size_t j = 1; j < lines.size(); ++j) {
    const std::string why = difference(first, lines[j]);
    if (!why.empty())
      throw InvalidArgument("line " + std::to_string(j) + " does not share the cube's geometry: " + why,
                            ErrorCode::invalid_shape);
  }
  CubeMetadata m;
  m.line = first.metadata;
  m.dy = dy;
  m.y0 = y0;
  validate(m);
  const std::size_t per_line = first.size();
  std::vector<float> samples(checked_volume(lines.size(), first.n_samples(), first.n_traces()));
  for (std::size_t j = 0; j < lines.size(); ++j)
    std::memcpy(samples.data() + j * per_line, lines[j].data(), per_line * sizeof(float));
  Cube cube(std::move(samples), lines.size(), first.n_samples(), first.n_traces(), std::move(m));
  cube.history = first.history;
  bool all_positions = true;
  for (const BScan& b : lines) all_positions = all_positions && b.positions.size() == 3 * b.n_traces();
  if (all_positions)
    for (const BScan& b : lines) cube.positions.insert(cube.positions.end(), b.positions.begin(), b.positions.end());
  HistoryParameters p;
  p.add("n_lines", lines.size()).add("dy", dy).add("y0", y0);
  append_history(cube.history, "cube_from_lines", p);
  return cube;
}

namespace {
void check_line(std::size_t j, std::size_t n_lines) {
  if (j >= n_lines)
    throw InvalidArgument("line " + std::to_string(j) + " is outside the cube's " + std::to_string(n_lines) +
                          " lines (0 .. " + std::to_string(n_lines == 0 ? 0 : n_lines - 1) + ")");
}
}  // namespace

BScanView Cube::line_view(std::size_t j) {
  check_line(j, n_lines_);
  return view().bscan(j);
}

ConstBScanView Cube::line_view(std::size_t j) const {
  check_line(j, n_lines_);
  return view().bscan(j);
}

BScan Cube::line(std::size_t j) const {
  const ConstBScanView v = line_view(j);
  BScan b(std::vector<float>(v.samples, v.samples + v.size()), n_samples_, n_traces_, metadata.line);
  b.history = history;
  if (positions.size() == 3 * n_lines_ * n_traces_)
    b.positions.assign(positions.begin() + static_cast<std::ptrdiff_t>(3 * j * n_traces_),
                       positions.begin() + static_cast<std::ptrdiff_t>(3 * (j + 1) * n_traces_));
  return b;
}

std::vector<float> Cube::release_samples() {
  std::vector<float> out = std::move(samples_);
  samples_.clear();
  n_lines_ = n_samples_ = n_traces_ = 0;
  return out;
}

DepthImage3D::DepthImage3D(std::size_t n_lines, std::size_t n_z, std::size_t n_x, ImageGrid3D grid_,
                           VelocityModel velocity_)
    : grid(grid_),
      velocity(std::move(velocity_)),
      pixels_(checked_volume(n_lines, n_z, n_x), 0.0f),
      n_lines_(n_lines),
      n_z_(n_z),
      n_x_(n_x) {}

std::vector<float> DepthImage3D::release_pixels() {
  std::vector<float> out = std::move(pixels_);
  pixels_.clear();
  n_lines_ = n_z_ = n_x_ = 0;
  return out;
}

}  // namespace gprproc
