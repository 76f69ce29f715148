// Time-to-depth conversion of unmigrated data: each trace read at the two-way
// time of the point straight below its midpoint.
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "migration_common.hpp"
#include "migration_cuda.hpp"

namespace gprproc {

using namespace migration_detail;

void time_to_depth(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                   const DepthAxis& depth_axis, BScanView out, Device device) {
  validate(in, "time_to_depth input");
  check_plan_inputs("time_to_depth", metadata, in.n_samples, velocity, depth_axis);
  const Device where = resolve_device(device);
  const std::size_t n_samples = in.n_samples, n_traces = in.n_traces, n_z = depth_axis.n_z();
  check_views(in, n_samples, n_traces, out, n_z, n_traces, where == Device::cuda);
  // Sample position of each row (the geometry is the same for every trace).
  std::vector<float> position(n_z);
  for (std::size_t i = 0; i < n_z; ++i) {
    const double z = depth_axis.z0 + depth_axis.dz * static_cast<double>(i);
    const double t = common_offset_time(velocity, metadata.antenna_offset, z, metadata.antenna_height);
    position[i] = sample_position(t, metadata, n_samples);
  }
  resample_rows(in, position, out, where);
}

DepthImage time_to_depth(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis, Device device) {
  validate(in.view(), "time_to_depth input");
  check_plan_inputs("time_to_depth", in.metadata, in.n_samples(), velocity, depth_axis);  // before the image is sized
  DepthImage image(depth_axis.n_z(), in.n_traces(), image_grid(in.metadata, depth_axis), velocity);
  time_to_depth(in.view(), in.metadata, velocity, depth_axis, image.view(), device);
  image.history = in.history;
  auto params = migration_history("none", depth_axis);
  params.add("velocities", velocity.velocities).add("layer_tops", velocity.layer_tops);
  append_history(image.history, "time_to_depth", params);
  return image;
}

}  // namespace gprproc
