#include "migration_common.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/plausibility.hpp"
#include "filters_common.hpp"  // overlaps
#include "migration_cuda.hpp"

namespace gprproc {

const char* to_string(MigrationMethod method) noexcept {
  switch (method) {
    case MigrationMethod::kirchhoff: return "kirchhoff";
    case MigrationMethod::stolt: return "stolt";
    case MigrationMethod::phase_shift: return "phase_shift";
  }
  return "unknown";
}

MigrationMethod parse_migration_method(const std::string& name) {
  if (name == "kirchhoff") return MigrationMethod::kirchhoff;
  if (name == "stolt") return MigrationMethod::stolt;
  if (name == "phase_shift" || name == "phase-shift" || name == "gazdag") return MigrationMethod::phase_shift;
  throw InvalidArgument("migration method must be \"kirchhoff\", \"stolt\" or \"phase_shift\", got \"" + name + "\"");
}

void DepthAxis::validate() const {
  migration_detail::require_positive("depth axis dz (m)", dz);
  migration_detail::require_positive("depth axis depth (m)", depth);
  if (!std::isfinite(z0) || z0 < 0.0) {
    std::ostringstream msg;
    msg << "depth axis z0 (m) must be finite and >= 0, got " << z0;
    throw InvalidArgument(msg.str());
  }
  if (depth < z0) {
    std::ostringstream msg;
    msg << "depth axis depth (" << depth << " m) must not be above z0 (" << z0 << " m)";
    throw InvalidArgument(msg.str());
  }
  if ((depth - z0) / dz > 1e7) {
    std::ostringstream msg;
    msg << "depth axis has too many rows: (depth - z0) / dz = " << (depth - z0) / dz << " (at most 1e7)";
    throw InvalidArgument(msg.str());
  }
}

std::size_t DepthAxis::n_z() const {
  return static_cast<std::size_t>(std::floor((depth - z0) / dz + 1e-9)) + 1;
}

namespace migration_detail {

std::size_t next_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

void require_positive(const char* name, double value) {
  if (!std::isfinite(value) || value <= 0.0) {
    std::ostringstream msg;
    msg << name << " must be finite and > 0, got " << value;
    throw InvalidArgument(msg.str());
  }
}

void check_views(ConstBScanView in, std::size_t n_samples, std::size_t n_traces, BScanView out, std::size_t n_z,
                 std::size_t n_x, bool device_ok) {
  validate(in, "migration input");
  validate(ConstBScanView{out.samples, out.n_samples, out.n_traces, out.memory}, "migration output");
  if (in.n_samples != n_samples || in.n_traces != n_traces) {
    std::ostringstream msg;
    msg << "migration input has shape (" << in.n_samples << ", " << in.n_traces << ") but the plan was made for ("
        << n_samples << ", " << n_traces << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (out.n_samples != n_z || out.n_traces != n_x) {
    std::ostringstream msg;
    msg << "migration output has shape (" << out.n_samples << ", " << out.n_traces << ") but must be (n_z, n_x) = ("
        << n_z << ", " << n_x << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (!device_ok && (in.memory == Memory::device || out.memory == Memory::device))
    throw InvalidArgument("a CPU migration plan cannot read or write device memory: make the plan with Device::cuda");
  if (preprocessing::overlaps(in, out))
    throw InvalidArgument("migration cannot run in place: input and output must be different (non-overlapping) memory");
  if (in.memory == Memory::host) check_finite(in, "migration input");
}

void check_plan_inputs(const std::string& operation, const BScanMetadata& metadata, std::size_t n_samples,
                       const VelocityModel& velocity, const DepthAxis& axis) {
  validate(metadata);
  plausibility::check_geometry(operation, metadata);
  velocity.validate();
  axis.validate();
  if (n_samples >= 2) plausibility::check_depth_axis(operation, axis, metadata, n_samples, velocity);
}

void check_same_geometry(const BScanMetadata& plan, const BScanMetadata& data) {
  auto same = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-15; };
  if (!same(plan.dt, data.dt) || !same(plan.t0, data.t0) || !same(plan.dx, data.dx) || !same(plan.x0, data.x0) ||
      !same(plan.antenna_offset, data.antenna_offset) || !same(plan.antenna_height, data.antenna_height))
    throw InvalidArgument(
        "B-scan geometry (dt, t0, dx, x0, antenna_offset, antenna_height) differs from the migration plan's: make a "
        "plan for this B-scan");
}

double rms_velocity(const VelocityModel& model, double depth) {
  if (model.is_constant() || depth <= 0.0) return model.velocity_at(0.0);
  double sum_v_dz = 0.0, sum_dz_over_v = 0.0;
  for (std::size_t i = 0; i < model.velocities.size(); ++i) {
    const double top = model.layer_tops[i];
    if (top >= depth) break;
    const double bottom = (i + 1 < model.layer_tops.size()) ? std::min(model.layer_tops[i + 1], depth) : depth;
    const double thickness = bottom - top;
    sum_v_dz += model.velocities[i] * thickness;
    sum_dz_over_v += thickness / model.velocities[i];
  }
  return std::sqrt(sum_v_dz / sum_dz_over_v);
}

double vertical_time(const VelocityModel& model, double depth) {
  double time = 0.0;
  for (std::size_t i = 0; i < model.velocities.size(); ++i) {
    const double top = model.layer_tops[i];
    if (top >= depth) break;
    const double bottom = (i + 1 < model.layer_tops.size()) ? std::min(model.layer_tops[i + 1], depth) : depth;
    time += (bottom - top) / model.velocities[i];
  }
  return time;
}

Leg model_leg(const VelocityModel& model, double lateral, double depth, double height) {
  if (model.is_constant() || depth <= 0.0) {
    const auto leg = detail::refracted_leg(lateral, depth, height, model.velocity_at(0.0));
    return {leg.time, leg.cos_ground, leg.spreading};
  }
  const double v_rms = rms_velocity(model, depth);
  const double t_v = vertical_time(model, depth);
  if (height <= 0.0) {
    const double t = std::sqrt(t_v * t_v + lateral * lateral / (v_rms * v_rms));
    return {t, t_v / t, v_rms * t};
  }
  const auto leg = detail::refracted_leg(lateral, depth, height, v_rms);
  return {leg.time + t_v - depth / v_rms, leg.cos_ground, leg.spreading};
}

ImageGrid image_grid(const BScanMetadata& metadata, const DepthAxis& axis) {
  ImageGrid grid;
  grid.dz = axis.dz;
  grid.z0 = axis.z0;
  grid.dx = metadata.dx;
  grid.x0 = metadata.x0;
  return grid;
}

float sample_position(double t, const BScanMetadata& metadata, std::size_t n_samples) {
  const double limit = static_cast<double>(detail::sinc_half_width + 1);
  const double p = (t - metadata.t0) / metadata.dt;
  return static_cast<float>(std::min(std::max(p, -limit), static_cast<double>(n_samples) + limit));
}

double common_offset_time(const VelocityModel& model, double offset, double depth, double height) {
  return model_leg(model, -0.5 * offset, depth, height).time + model_leg(model, 0.5 * offset, depth, height).time;
}

void resample_rows(ConstBScanView in, const std::vector<float>& position, BScanView out, Device where) {
#ifdef GPRPROC_HAS_CUDA
  if (where == Device::cuda) {
    cuda_backend::resample_rows(position, in, out);
    return;
  }
#else
  (void)where;
#endif
  // Every trace is read at the same positions, so each row's windowed-sinc
  // weights are computed once and the row is a weighted sum of whole input
  // rows (contiguous, vectorised), in the taps' order: the same sums as
  // detail::sinc_sample per pixel. The CUDA kernel (resample_rows_kernel)
  // also makes each row's weights once.
  constexpr int R = detail::sinc_half_width;
  const std::size_t n_samples = in.n_samples, n_traces = in.n_traces, n_rows = position.size();
#pragma omp parallel for schedule(static)
  for (long long ii = 0; ii < static_cast<long long>(n_rows); ++ii) {
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

void correct_offset_cpu(ConstBScanView in, const std::vector<float>& position,
                        const cuda_backend::DipMoveoutSetup& dip_moveout, BScanView out, std::vector<float>& scratch) {
  if (dip_moveout.empty()) {
    resample_rows(in, position, out, Device::cpu);
    return;
  }
  scratch.resize(position.size() * in.n_traces);
  const BScanView nmo{scratch.data(), position.size(), in.n_traces, Memory::host};
  resample_rows(in, position, nmo, Device::cpu);
  migration_detail::dip_moveout(dip_moveout, ConstBScanView{nmo.samples, nmo.n_samples, nmo.n_traces, Memory::host},
                                out);
}

ConstBScanView remap_to_zero_offset(ConstBScanView in, const std::vector<float>& position,
                                    const cuda_backend::DipMoveoutSetup& dip_moveout, std::vector<float>& buffer,
                                    std::vector<float>& moved_buffer) {
  if (position.empty()) return in;
  float* result = dip_moveout.empty() ? buffer.data() : moved_buffer.data();
  correct_offset_cpu(in, position, dip_moveout, BScanView{result, position.size(), in.n_traces, Memory::host}, buffer);
  return ConstBScanView{result, position.size(), in.n_traces, Memory::host};
}

HistoryParameters migration_history(const char* method, const DepthAxis& axis) {
  HistoryParameters p;
  p.add("method", method).add("dz", axis.dz).add("depth", axis.depth).add("z0", axis.z0);
  return p;
}

}  // namespace migration_detail

DepthImage migrate(const BScan& in, MigrationMethod method, const VelocityModel& velocity, const DepthAxis& depth_axis,
                   Device device) {
  velocity.validate();
  if (method == MigrationMethod::stolt) {
    if (!velocity.is_constant())
      throw InvalidArgument("Stolt migration needs a constant velocity; use Kirchhoff for a layered v(z)");
    return migrate_stolt(in, velocity.velocities[0], depth_axis, StoltOptions{}, device);
  }
  if (method == MigrationMethod::phase_shift) return migrate_phase_shift(in, velocity, depth_axis, {}, device);
  return migrate_kirchhoff(in, velocity, depth_axis, KirchhoffOptions{}, device);
}

}  // namespace gprproc
