#include "gprproc/image.hpp"

namespace gprproc {

DepthImage::DepthImage(std::size_t n_z, std::size_t n_x, ImageGrid grid_, VelocityModel velocity_)
    : grid(grid_), velocity(std::move(velocity_)), pixels_(n_z * n_x, 0.0f), n_z_(n_z), n_x_(n_x) {}

std::vector<float> DepthImage::release_pixels() {
  std::vector<float> out = std::move(pixels_);
  pixels_.clear();
  n_z_ = n_x_ = 0;
  return out;
}

}  // namespace gprproc
