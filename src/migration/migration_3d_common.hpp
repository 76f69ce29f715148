#pragma once
// Host-side checks and geometry shared by the 3-D migration plans.
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/migration.hpp"
#include "migration_cuda.hpp"  // DipMoveoutSetup (plain C++)

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

// The f-k plans' common-offset -> zero-offset remap of a host cube, line by
// line (remap_to_zero_offset: NMO, then DMO along x unless `dip_moveout` is
// empty): `in` itself when `position` is empty, else a view of `remapped`
// (sized here); `line_scratch` and `line_moved` are one line's buffers.
ConstBScanStackView remap_cube_to_zero_offset(ConstBScanStackView in, const std::vector<float>& position,
                                              const cuda_backend::DipMoveoutSetup& dip_moveout,
                                              std::vector<float>& remapped, std::vector<float>& line_scratch,
                                              std::vector<float>& line_moved);

}  // namespace gprproc::migration_detail
