// Antenna-offset correction: a common-offset B-scan remapped in time to the
// zero-offset B-scan the f-k migrations assume (normal moveout, per sample,
// the same for every trace), then dip moveout (migration_dip_moveout.cpp).
// docs/MIGRATION.md, "Antenna offset".
#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/plausibility.hpp"
#include "filters_common.hpp"  // overlaps
#include "migration_common.hpp"
#include "migration_cuda.hpp"

namespace gprproc {

using namespace migration_detail;

namespace migration_detail {

// Zero-offset two-way time (s) of the point `depth` below the midpoint.
double zero_offset_time(const VelocityModel& velocity, double depth, double height) {
  return 2.0 * model_leg(velocity, 0.0, depth, height).time;
}

// The time increases with depth (2 H / c plus twice the vertical time), so a
// bracket doubled until it holds tau, then bisection.
double depth_of_zero_offset_time(const VelocityModel& velocity, double tau, double height) {
  double lo = 0.0, hi = 0.5 * velocity.velocity_at(0.0) * (tau - 2.0 * height / speed_of_light);
  hi = std::max(hi, 1e-6);
  for (int i = 0; i < 200 && zero_offset_time(velocity, hi, height) < tau; ++i) {
    lo = hi;
    hi *= 2.0;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (zero_offset_time(velocity, mid, height) < tau) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

std::vector<float> offset_positions(const BScanMetadata& metadata, const VelocityModel& velocity,
                                    std::size_t n_samples) {
  std::vector<float> position(n_samples);
  const double offset = metadata.antenna_offset, half = 0.5 * offset, height = metadata.antenna_height;
  if (offset == 0.0) {  // exactly the identity, not a round trip through time
    for (std::size_t s = 0; s < n_samples; ++s) position[s] = static_cast<float>(s);
    return position;
  }
  const double ground_time = 2.0 * height / speed_of_light;
  for (std::size_t s = 0; s < n_samples; ++s) {
    const double tau = metadata.time_of_sample(s);
    double t;
    if (tau <= 0.0) {
      // Before time zero (the wavelet's leading half at the antenna): shifted
      // by the direct wave's delay offset / c, continuous with the air branch.
      t = tau + offset / speed_of_light;
    } else if (tau <= ground_time) {
      // A point in the air, c tau / 2 below the antenna.
      t = 2.0 * std::hypot(0.5 * speed_of_light * tau, half) / speed_of_light;
    } else {
      // The two legs time_to_depth and Kirchhoff use (refraction at the ground).
      const double z = depth_of_zero_offset_time(velocity, tau, height);
      t = common_offset_time(velocity, offset, z, height);
    }
    position[s] = sample_position(t, metadata, n_samples);
  }
  return position;
}

}  // namespace migration_detail

void correct_antenna_offset(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                            const OffsetCorrectionOptions& options, BScanView out, Device device) {
  validate(metadata);
  plausibility::check_geometry("correct_antenna_offset", metadata);
  velocity.validate();
  validate(in, "correct_antenna_offset input");
  validate(ConstBScanView{out.samples, out.n_samples, out.n_traces, out.memory}, "correct_antenna_offset output");
  if (out.n_samples != in.n_samples || out.n_traces != in.n_traces) {
    std::ostringstream msg;
    msg << "correct_antenna_offset output has shape (" << out.n_samples << ", " << out.n_traces
        << ") but must be the input's (" << in.n_samples << ", " << in.n_traces << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (preprocessing::overlaps(in, out))
    throw InvalidArgument(
        "correct_antenna_offset cannot run in place: input and output must be different (non-overlapping) memory");
  const Device where = resolve_device(device);
  if (where == Device::cpu && (in.memory == Memory::device || out.memory == Memory::device))
    throw InvalidArgument("correct_antenna_offset on the CPU cannot read or write device memory: use Device::cuda");
  if (in.memory == Memory::host) check_finite(in, "correct_antenna_offset input");
  const std::vector<float> position = offset_positions(metadata, velocity, in.n_samples);
  const cuda_backend::DipMoveoutSetup dmo = options.dip_moveout
                                                ? dip_moveout_setup(metadata, velocity, position, in.n_traces)
                                                : cuda_backend::DipMoveoutSetup{};
#ifdef GPRPROC_HAS_CUDA
  if (where == Device::cuda) {
    cuda_backend::correct_antenna_offset(position, dmo, in, out);
    return;
  }
#endif
  std::vector<float> scratch;
  correct_offset_cpu(in, position, dmo, out, scratch);
}

void correct_antenna_offset(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                            BScanView out, Device device) {
  correct_antenna_offset(in, metadata, velocity, OffsetCorrectionOptions{}, out, device);
}

BScan correct_antenna_offset(const BScan& in, const VelocityModel& velocity, const OffsetCorrectionOptions& options,
                             Device device) {
  validate(in.view(), "correct_antenna_offset input");
  BScanMetadata zero_offset = in.metadata;
  zero_offset.antenna_offset = 0.0;
  BScan out(in.n_samples(), in.n_traces(), zero_offset);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  correct_antenna_offset(in.view(), in.metadata, velocity, options, out.view(), device);
  HistoryParameters params;
  params.add("antenna_offset", in.metadata.antenna_offset)
      .add("velocities", velocity.velocities)
      .add("layer_tops", velocity.layer_tops)
      .add("dip_moveout", options.dip_moveout);
  append_history(out.history, "correct_antenna_offset", params);
  return out;
}

BScan correct_antenna_offset(const BScan& in, const VelocityModel& velocity, Device device) {
  return correct_antenna_offset(in, velocity, OffsetCorrectionOptions{}, device);
}

}  // namespace gprproc
