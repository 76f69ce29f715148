#pragma once
// Measures of how well a depth image focuses a known point: where its
// strongest pixel near the point is, and how much of the image's energy there
// sits close to that pixel.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "gprproc/image.hpp"

namespace gprproc_test {

struct Focus {
  std::size_t row = 0, column = 0;
  double x = 0.0, depth = 0.0, value = 0.0;
};

// Depth (m) of a focus refined below the grid: the parabola through |image|
// at its row and the rows above and below, in its column.
inline double refined_focus_depth(const gprproc::DepthImage& img, const Focus& f) {
  if (f.row == 0 || f.row + 1 >= img.n_z()) return f.depth;
  const double a = std::abs(img(f.row - 1, f.column)), b = std::abs(img(f.row, f.column)),
               c = std::abs(img(f.row + 1, f.column));
  const double curvature = a - 2.0 * b + c;
  return curvature < 0.0 ? f.depth + 0.5 * (a - c) / curvature * img.grid.dz : f.depth;
}

// Strongest |pixel| within `radius` (m) of (x, depth).
inline Focus strongest_near(const gprproc::DepthImage& img, double x, double depth, double radius) {
  Focus best;
  best.value = -1.0;
  for (std::size_t i = 0; i < img.n_z(); ++i)
    for (std::size_t j = 0; j < img.n_x(); ++j) {
      const double z = img.grid.depth_of_row(i), xx = img.grid.position_of_column(j);
      if (std::abs(z - depth) > radius || std::abs(xx - x) > radius) continue;
      const double v = std::abs(img(i, j));
      if (v > best.value) best = {i, j, xx, z, v};
    }
  return best;
}

// Strongest |pixel| of the whole image.
inline Focus strongest(const gprproc::DepthImage& img) {
  Focus best;
  best.value = -1.0;
  for (std::size_t i = 0; i < img.n_z(); ++i)
    for (std::size_t j = 0; j < img.n_x(); ++j) {
      const double v = std::abs(img(i, j));
      if (v > best.value) best = {i, j, img.grid.position_of_column(j), img.grid.depth_of_row(i), v};
    }
  return best;
}

// Energy (sum of squares) within +-half_x, +-half_z (m) of the focus, as a
// fraction of the energy within +-radius (m) of it.
inline double energy_fraction(const gprproc::DepthImage& img, const Focus& f, double half_x, double half_z,
                              double radius) {
  double inside = 0.0, total = 0.0;
  for (std::size_t i = 0; i < img.n_z(); ++i)
    for (std::size_t j = 0; j < img.n_x(); ++j) {
      const double dz = std::abs(img.grid.depth_of_row(i) - f.depth), dx = std::abs(img.grid.position_of_column(j) - f.x);
      if (dz > radius || dx > radius) continue;
      const double e = static_cast<double>(img(i, j)) * img(i, j);
      total += e;
      if (dz <= half_z + 1e-12 && dx <= half_x + 1e-12) inside += e;
    }
  return total > 0.0 ? inside / total : 0.0;
}

// Pearson correlation of two same-grid images over +-radius (m) of (x, depth).
inline double correlation_near(const gprproc::DepthImage& a, const gprproc::DepthImage& b, double x, double depth,
                               double radius) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
  for (std::size_t i = 0; i < std::min(a.n_z(), b.n_z()); ++i)
    for (std::size_t j = 0; j < std::min(a.n_x(), b.n_x()); ++j) {
      if (std::abs(a.grid.depth_of_row(i) - depth) > radius || std::abs(a.grid.position_of_column(j) - x) > radius)
        continue;
      const double u = a(i, j), v = b(i, j);
      sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v; n += 1;
    }
  const double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
  return cov / std::sqrt(va * vb);
}

}  // namespace gprproc_test
