#pragma once
// The cube: a 3-D survey of parallel lines (or the channels of a multichannel
// array), float32 of shape (n_lines, n_samples, n_traces), row-major. Line j
// lies at y = y0 + j dy and is a B-scan in the B-scan layout, so a line is a
// zero-copy B-scan view and the whole cube is a BScanStackView. Every line
// shares one geometry in time and x (the B-scan metadata); the cube adds the
// line axis. A 3-D depth image is (n_lines, n_z, n_traces) on the same lines.
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/history.hpp"
#include "gprproc/image.hpp"
#include "gprproc/velocity_model.hpp"

namespace gprproc {

struct CubeMetadata {
  BScanMetadata line;  // shared by every line: dt, t0, dx, x0, antennas, frequency, component, source
  double dy = 0.0;     // m, line spacing (> 0)
  double y0 = 0.0;     // m, position of line 0

  double position_of_line(std::size_t j) const { return y0 + dy * static_cast<double>(j); }
};

// The line metadata as validate(BScanMetadata), then dy > 0 and finite, y0 finite.
void validate(const CubeMetadata& metadata);

class Cube {
 public:
  Cube() = default;
  // Zero-filled samples.
  Cube(std::size_t n_lines, std::size_t n_samples, std::size_t n_traces, CubeMetadata metadata);
  // Takes ownership of `samples`, which must hold n_lines * n_samples * n_traces values.
  Cube(std::vector<float> samples, std::size_t n_lines, std::size_t n_samples, std::size_t n_traces,
       CubeMetadata metadata);

  // Lines of one shape and geometry (dt, t0, dx, x0, antenna offset and height,
  // centre frequency, component: the first line's); InvalidArgument naming the
  // first line that differs and how. The cube's history is the first line's
  // plus a "cube_from_lines" step; positions are kept when every line has them.
  static Cube from_lines(const std::vector<BScan>& lines, double dy, double y0 = 0.0);

  std::size_t n_lines() const { return n_lines_; }
  std::size_t n_samples() const { return n_samples_; }
  std::size_t n_traces() const { return n_traces_; }
  std::size_t size() const { return samples_.size(); }
  bool empty() const { return samples_.empty(); }

  float* data() { return samples_.data(); }
  const float* data() const { return samples_.data(); }
  float& operator()(std::size_t line, std::size_t i, std::size_t j) {
    return samples_[(line * n_samples_ + i) * n_traces_ + j];
  }
  float operator()(std::size_t line, std::size_t i, std::size_t j) const {
    return samples_[(line * n_samples_ + i) * n_traces_ + j];
  }

  BScanStackView view() { return {samples_.data(), n_lines_, n_samples_, n_traces_, Memory::host}; }
  ConstBScanStackView view() const { return {samples_.data(), n_lines_, n_samples_, n_traces_, Memory::host}; }
  // Line j as a view of the cube's memory (InvalidArgument when j >= n_lines).
  BScanView line_view(std::size_t j);
  ConstBScanView line_view(std::size_t j) const;
  // Line j as its own B-scan (a copy): the line metadata, the cube's history
  // and that line's positions.
  BScan line(std::size_t j) const;

  std::vector<float> release_samples();
  const std::vector<float>& samples() const { return samples_; }

  CubeMetadata metadata;
  History history;
  // Optional per-trace antenna positions (n_lines * n_traces x 3, m, row-major,
  // line by line); empty when unknown.
  std::vector<double> positions;

 private:
  std::vector<float> samples_;
  std::size_t n_lines_ = 0;
  std::size_t n_samples_ = 0;
  std::size_t n_traces_ = 0;
};

// The grid of a 3-D depth image: the 2-D image grid (dz, z0, dx, x0) of every
// line plus the line axis.
struct ImageGrid3D {
  ImageGrid plane;  // dz, z0, dx, x0
  double dy = 0.0;  // m, line spacing (> 0)
  double y0 = 0.0;  // m, position of line 0

  double position_of_line(std::size_t j) const { return y0 + dy * static_cast<double>(j); }
};

// A 3-D depth image (n_lines, n_z, n_x), row-major: line j is a DepthImage's
// (n_z, n_x) layout, so the whole image is a BScanStackView of n_z rows.
class DepthImage3D {
 public:
  DepthImage3D() = default;
  DepthImage3D(std::size_t n_lines, std::size_t n_z, std::size_t n_x, ImageGrid3D grid, VelocityModel velocity);

  std::size_t n_lines() const { return n_lines_; }
  std::size_t n_z() const { return n_z_; }
  std::size_t n_x() const { return n_x_; }
  std::size_t size() const { return pixels_.size(); }
  float* data() { return pixels_.data(); }
  const float* data() const { return pixels_.data(); }
  float& operator()(std::size_t line, std::size_t i, std::size_t j) { return pixels_[(line * n_z_ + i) * n_x_ + j]; }
  float operator()(std::size_t line, std::size_t i, std::size_t j) const {
    return pixels_[(line * n_z_ + i) * n_x_ + j];
  }
  BScanStackView view() { return {pixels_.data(), n_lines_, n_z_, n_x_, Memory::host}; }
  ConstBScanStackView view() const { return {pixels_.data(), n_lines_, n_z_, n_x_, Memory::host}; }
  std::vector<float> release_pixels();

  ImageGrid3D grid;
  VelocityModel velocity;
  History history;

 private:
  std::vector<float> pixels_;
  std::size_t n_lines_ = 0;
  std::size_t n_z_ = 0;
  std::size_t n_x_ = 0;
};

}  // namespace gprproc
