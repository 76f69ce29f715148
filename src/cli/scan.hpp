#pragma once
// A migration velocity scan run one velocity at a time, so a progress bar can
// follow it; the best velocity is refined by a parabola through the peak.
#include "gprproc/velocity.hpp"
#include "progress.hpp"

namespace gprproc::cli {

// `count` velocities evenly spaced over [v_min, v_max] (m/s).
VelocityScan scan_velocities(const BScan& b, double v_min, double v_max, int count, const DepthAxis& axis,
                             const KirchhoffOptions& kirchhoff, Device device, Progress* progress,
                             const std::string& label);

// True when the scan's best velocity is its first or last velocity, or lies
// within `margin` (a fraction of the scanned range) of either end: a maximum
// there cannot be told from a boundary maximum, so no velocity was found.
bool best_near_range_end(const VelocityScan& scan, double margin = 0.0);

}  // namespace gprproc::cli
