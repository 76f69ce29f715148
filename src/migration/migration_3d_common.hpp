#pragma once
// Host-side checks and geometry shared by the 3-D migration plans.
#include <cstddef>

#include "gprproc/bscan.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/migration.hpp"

namespace gprproc::migration_detail {

// InvalidArgument(invalid_shape) naming `what` unless the cube has at least
// one line, 2 samples and 1 trace.
void check_cube_shape(const char* what, std::size_t n_lines, std::size_t n_samples, std::size_t n_traces);

// Shape, memory and overlap checks of a 3-D plan's (in, out) views; host
// inputs are checked for NaN/Inf. `device_ok`: the plan runs on CUDA.
void check_cube_views(const char* what, ConstBScanStackView in, std::size_t n_lines, std::size_t n_samples,
                      std::size_t n_traces, BScanStackView out, std::size_t n_z, bool device_ok);

// The plan's geometry must be the cube's (line metadata, dy, y0).
void check_same_cube_geometry(const CubeMetadata& plan, const CubeMetadata& data);

ImageGrid3D image_grid_3d(const CubeMetadata& metadata, const DepthAxis& axis);

}  // namespace gprproc::migration_detail
