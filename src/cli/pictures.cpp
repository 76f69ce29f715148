#include "pictures.hpp"

#include <cstdio>
#include <vector>

#include "png_quicklook.hpp"

namespace gprproc::cli {

std::string bscan_png(const BScan& b, const std::string& title, double clip) {
  QuicklookAxes axes;
  axes.title = title;
  axes.x_first = b.metadata.x0;
  axes.x_step = b.metadata.dx;
  axes.y_first = b.metadata.t0 * 1e9;
  axes.y_step = b.metadata.dt * 1e9;
  axes.clip_percentile = clip;
  return quicklook_png(b.data(), b.n_samples(), b.n_traces(), axes);
}

std::string image_png(const DepthImage& image, const std::string& title, const Detection* detection, double clip) {
  QuicklookAxes axes;
  axes.title = title;
  axes.x_first = image.grid.x0;
  axes.x_step = image.grid.dx;
  axes.y_label = "depth (m)";
  axes.y_first = image.grid.z0;
  axes.y_step = image.grid.dz;
  axes.clip_percentile = clip;
  if (detection)
    for (std::size_t k = 0; k < detection->targets.size(); ++k)
      axes.markers.push_back({detection->targets[k].x, detection->targets[k].depth, std::to_string(k + 1)});
  return quicklook_png(image.data(), image.n_z(), image.n_x(), axes);
}

std::string velocity_png(const VelocityScan& scan, const std::string& title) {
  std::vector<double> v;
  for (double x : scan.velocities) v.push_back(x * 1e-9);
  CurveAxes axes;
  axes.title = title;
  axes.x_label = "velocity (m/ns)";
  axes.y_label = "focus";
  axes.mark_x = scan.best * 1e-9;
  char buf[48];
  std::snprintf(buf, sizeof buf, "best %.4f m/ns", scan.best * 1e-9);
  axes.mark_label = buf;
  return curve_png(v, scan.focus, axes);
}

}  // namespace gprproc::cli
