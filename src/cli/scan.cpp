#include "scan.hpp"

#include <algorithm>
#include <cstdio>

namespace gprproc::cli {

VelocityScan scan_velocities(const BScan& b, double v_min, double v_max, int count, const DepthAxis& axis,
                             const KirchhoffOptions& kirchhoff, Device device, Progress* progress,
                             const std::string& label) {
  VelocityScan scan;
  VelocityScanOptions options;
  options.kirchhoff = kirchhoff;
  for (int k = 0; k < count; ++k) {
    const double v = v_min + (v_max - v_min) * k / std::max(count - 1, 1);
    if (progress) {
      char what[64];
      std::snprintf(what, sizeof what, "%s %.4f m/ns", label.c_str(), v * 1e-9);
      progress->update(k, what);
    }
    const VelocityScan one = velocity_scan(b, {v}, axis, options, device);
    scan.velocities.push_back(v);
    scan.focus.push_back(one.focus.at(0));
  }
  const auto peak = std::max_element(scan.focus.begin(), scan.focus.end());
  scan.best_index = std::size_t(peak - scan.focus.begin());
  scan.best = scan.velocities[scan.best_index];
  const std::size_t k = scan.best_index;
  if (k > 0 && k + 1 < scan.focus.size()) {
    const double a = scan.focus[k - 1], c = scan.focus[k], e = scan.focus[k + 1];
    const double curvature = a - 2 * c + e;
    if (curvature < 0) {
      const double shift = std::clamp(0.5 * (a - e) / curvature, -0.5, 0.5);
      scan.best = scan.velocities[k] + shift * (scan.velocities[k + 1] - scan.velocities[k]);
    }
  }
  return scan;
}

bool best_near_range_end(const VelocityScan& scan, double margin) {
  if (scan.velocities.empty()) return false;
  const double lo = scan.velocities.front(), hi = scan.velocities.back();
  const double band = margin * (hi - lo);
  return scan.best_index == 0 || scan.best_index + 1 == scan.velocities.size() || scan.best < lo + band ||
         scan.best > hi - band;
}

}  // namespace gprproc::cli
