#pragma once
// A depth image (a migrated B-scan, or time converted to depth): float32 of
// shape (n_z, n_x), row-major, on a regular grid, with the velocity used.
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/history.hpp"
#include "gprproc/velocity_model.hpp"

namespace gprproc {

struct ImageGrid {
  double dz = 0.0;  // m, depth step (> 0)
  double z0 = 0.0;  // m, depth of row 0 below the ground surface
  double dx = 0.0;  // m, column spacing (> 0)
  double x0 = 0.0;  // m, position of column 0

  double depth_of_row(std::size_t i) const { return z0 + dz * static_cast<double>(i); }
  double position_of_column(std::size_t j) const { return x0 + dx * static_cast<double>(j); }
};

class DepthImage {
 public:
  DepthImage() = default;
  DepthImage(std::size_t n_z, std::size_t n_x, ImageGrid grid, VelocityModel velocity);

  std::size_t n_z() const { return n_z_; }
  std::size_t n_x() const { return n_x_; }
  std::size_t size() const { return pixels_.size(); }
  float* data() { return pixels_.data(); }
  const float* data() const { return pixels_.data(); }
  float& operator()(std::size_t i, std::size_t j) { return pixels_[i * n_x_ + j]; }
  float operator()(std::size_t i, std::size_t j) const { return pixels_[i * n_x_ + j]; }
  // The same (rows, columns) view type as a B-scan: rows are depths here.
  BScanView view() { return {pixels_.data(), n_z_, n_x_, Memory::host}; }
  ConstBScanView view() const { return {pixels_.data(), n_z_, n_x_, Memory::host}; }
  std::vector<float> release_pixels();

  ImageGrid grid;
  VelocityModel velocity;
  History history;

 private:
  std::vector<float> pixels_;
  std::size_t n_z_ = 0;
  std::size_t n_x_ = 0;
};

}  // namespace gprproc
