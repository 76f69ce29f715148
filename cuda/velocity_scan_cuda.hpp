#pragma once
// CUDA backend of the velocity scan (cuda/velocity_scan.cu). Plain C++ so
// src/velocity.cpp can call it.
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/migration.hpp"

namespace gprproc::cuda_backend {

// The focus measure of src/velocity.cpp at each velocity, with the B-scan, its
// square and the unit B-scan kept on the device for the whole scan and the
// images reduced on the device: per velocity only two sums come back.
std::vector<double> velocity_scan_focus(const BScan& in, const std::vector<double>& velocities,
                                        const DepthAxis& depth_axis, const KirchhoffOptions& options);

}  // namespace gprproc::cuda_backend
