#include "migration/migration_3d_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

#include "gprproc/error.hpp"
#include "migration_common.hpp"

namespace gprproc::migration_detail {

namespace {
std::string shape_text(std::size_t a, std::size_t b, std::size_t c) {
  return "(" + std::to_string(a) + ", " + std::to_string(b) + ", " + std::to_string(c) + ")";
}

bool overlap(const void* a, std::size_t a_bytes, const void* b, std::size_t b_bytes) {
  const auto pa = reinterpret_cast<std::uintptr_t>(a), pb = reinterpret_cast<std::uintptr_t>(b);
  return pa < pb + b_bytes && pb < pa + a_bytes;
}
}  // namespace

void check_cube_shape(const char* what, std::size_t n_lines, std::size_t n_samples, std::size_t n_traces) {
  if (n_lines < 1 || n_samples < 2 || n_traces < 1) {
    std::ostringstream msg;
    msg << what << " needs a cube of at least 1 line, 2 samples and 1 trace, got (n_lines, n_samples, n_traces) = "
        << shape_text(n_lines, n_samples, n_traces);
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
}

void check_cube_views(const char* what, ConstBScanStackView in, std::size_t n_lines, std::size_t n_samples,
                      std::size_t n_traces, BScanStackView out, std::size_t n_z, bool device_ok) {
  validate(in, "3-D migration input");
  validate(ConstBScanStackView{out.samples, out.n_bscans, out.n_samples, out.n_traces, out.memory},
           "3-D migration output");
  if (in.n_bscans != n_lines || in.n_samples != n_samples || in.n_traces != n_traces) {
    std::ostringstream msg;
    msg << what << ": input cube has shape (n_lines, n_samples, n_traces) = "
        << shape_text(in.n_bscans, in.n_samples, in.n_traces) << " but the plan was made for "
        << shape_text(n_lines, n_samples, n_traces);
    if (in.n_bscans == 1 && n_lines > 1) msg << " (a single B-scan is not a cube: stack the lines)";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (out.n_bscans != n_lines || out.n_samples != n_z || out.n_traces != n_traces) {
    std::ostringstream msg;
    msg << what << ": output image has shape " << shape_text(out.n_bscans, out.n_samples, out.n_traces)
        << " but must be (n_lines, n_z, n_x) = " << shape_text(n_lines, n_z, n_traces);
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (!device_ok && (in.memory == Memory::device || out.memory == Memory::device))
    throw InvalidArgument(std::string(what) +
                          ": a CPU plan cannot read or write device memory; make the plan with Device::cuda");
  if (in.memory == out.memory &&
      overlap(in.samples, in.size() * sizeof(float), out.samples, out.size() * sizeof(float)))
    throw InvalidArgument(std::string(what) +
                          " cannot run in place: input and output must be different (non-overlapping) memory");
  if (in.memory == Memory::host) check_finite(in, "3-D migration input");
}

void check_same_cube_geometry(const CubeMetadata& plan, const CubeMetadata& data) {
  check_same_geometry(plan.line, data.line);
  auto same = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-15; };
  if (!same(plan.dy, data.dy) || !same(plan.y0, data.y0)) {
    std::ostringstream msg;
    msg << "cube line geometry (dy = " << data.dy << " m, y0 = " << data.y0 << " m) differs from the plan's (dy = "
        << plan.dy << " m, y0 = " << plan.y0 << " m): make a plan for this cube";
    throw InvalidArgument(msg.str());
  }
}

ImageGrid3D image_grid_3d(const CubeMetadata& metadata, const DepthAxis& axis) {
  ImageGrid3D grid;
  grid.plane = image_grid(metadata.line, axis);
  grid.dy = metadata.dy;
  grid.y0 = metadata.y0;
  return grid;
}

ConstBScanStackView remap_cube_to_zero_offset(ConstBScanStackView in, const std::vector<float>& position,
                                              const cuda_backend::DipMoveoutSetup& dip_moveout,
                                              std::vector<float>& remapped, std::vector<float>& line_scratch,
                                              std::vector<float>& line_moved) {
  if (position.empty()) return in;
  const std::size_t per_line = in.n_samples * in.n_traces;
  remapped.resize(in.n_bscans * per_line);
  line_scratch.resize(per_line);
  if (!dip_moveout.empty()) line_moved.resize(per_line);
  for (std::size_t j = 0; j < in.n_bscans; ++j) {
    const ConstBScanView zero_offset = remap_to_zero_offset(in.bscan(j), position, dip_moveout, line_scratch, line_moved);
    std::memcpy(remapped.data() + j * per_line, zero_offset.samples, per_line * sizeof(float));
  }
  return ConstBScanStackView{remapped.data(), in.n_bscans, in.n_samples, in.n_traces, Memory::host};
}

}  // namespace gprproc::migration_detail
