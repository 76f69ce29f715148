// Time-to-depth conversion of unmigrated data: each trace read at the two-way
// time of the point straight below its midpoint.
#include <algorithm>
#include <cmath>
#include <vector>

#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "migration_common.hpp"
#include "migration_cuda.hpp"

namespace gprproc {

using namespace migration_detail;

void time_to_depth(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                   const DepthAxis& depth_axis, BScanView out, Device device) {
  validate(metadata);
  velocity.validate();
  depth_axis.validate();
  validate(in, "time_to_depth input");
  const Device where = resolve_device(device);
  const std::size_t n_samples = in.n_samples, n_traces = in.n_traces, n_z = depth_axis.n_z();
  check_views(in, n_samples, n_traces, out, n_z, n_traces, where == Device::cuda);
  // Sample position of each row (the geometry is the same for every trace).
  std::vector<float> position(n_z);
  const double half_offset = 0.5 * metadata.antenna_offset;
  for (std::size_t i = 0; i < n_z; ++i) {
    const double z = depth_axis.z0 + depth_axis.dz * static_cast<double>(i);
    const double t = model_leg(velocity, -half_offset, z, metadata.antenna_height).time +
                     model_leg(velocity, half_offset, z, metadata.antenna_height).time;
    position[i] = static_cast<float>((t - metadata.t0) / metadata.dt);
  }
#ifdef GPRPROC_HAS_CUDA
  if (where == Device::cuda) {
    cuda_backend::time_to_depth(position, in, out);
    return;
  }
#endif
  // Every trace is read at the same positions, so each row's windowed-sinc
  // weights are computed once and the row is a weighted sum of whole input
  // rows (contiguous, vectorised), in the taps' order: the same sums as
  // detail::sinc_sample per pixel, which the CUDA kernel runs.
  constexpr int R = detail::sinc_half_width;
#pragma omp parallel for schedule(static)
  for (long long ii = 0; ii < static_cast<long long>(n_z); ++ii) {
    const std::size_t i = static_cast<std::size_t>(ii);
    float* row = out.samples + i * n_traces;
    std::fill(row, row + n_traces, 0.0f);
    const int base = static_cast<int>(std::floor(position[i]));
    for (int k = base - R + 1; k <= base + R; ++k) {
      if (k < 0 || k >= static_cast<int>(n_samples)) continue;
      const float w = detail::windowed_sinc(position[i] - static_cast<float>(k), static_cast<float>(R));
      const float* source = in.samples + static_cast<std::size_t>(k) * n_traces;
      for (std::size_t j = 0; j < n_traces; ++j) row[j] += source[j] * w;
    }
  }
}

DepthImage time_to_depth(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis, Device device) {
  validate(in.view(), "time_to_depth input");
  depth_axis.validate();
  DepthImage image(depth_axis.n_z(), in.n_traces(), image_grid(in.metadata, depth_axis), velocity);
  time_to_depth(in.view(), in.metadata, velocity, depth_axis, image.view(), device);
  image.history = in.history;
  auto params = migration_history("none", depth_axis);
  params.add("velocities", velocity.velocities).add("layer_tops", velocity.layer_tops);
  append_history(image.history, "time_to_depth", params);
  return image;
}

}  // namespace gprproc
