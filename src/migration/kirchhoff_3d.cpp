// 3-D Kirchhoff migration: the plan tabulates, per depth row, the entries of
// its circular aperture (line offset >= 0, trace offset, oversampled sample
// position of the two-way time, weight), from the 2-D plan's travel-time
// legs (migration_detail::model_leg: refraction at the surface, v(z) through
// rms and vertical times) with each antenna's horizontal distance to the
// image point as the leg's lateral offset. Execution: src/migration/kirchhoff_3d_cpu.cpp
// and cuda/migration/kirchhoff_3d.cu. docs/MIGRATION.md, "3-D migration".
#include <algorithm>
#include <cmath>
#include <mutex>
#include <sstream>
#include <vector>

#include "gprproc/detail/migration_3d_math.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration_3d.hpp"
#include "migration/kirchhoff_3d_cpu.hpp"
#include "migration/migration_3d_common.hpp"
#include "migration_common.hpp"

namespace gprproc {

using namespace migration_detail;

struct Kirchhoff3DPlan::Impl {
  CubeMetadata metadata;
  DepthAxis axis;
  VelocityModel velocity;
  Kirchhoff3DOptions options;
  Device device = Device::cpu;
  cuda_backend::Kirchhoff3DSetup s;
  double contributions = 0.0;
  // execute() is serialised: the CPU workspace and the device buffers are
  // the plan's, reused from call to call.
  mutable std::mutex mutex;
  mutable Kirchhoff3DWorkspace workspace;
#ifdef GPRPROC_HAS_CUDA
  std::unique_ptr<cuda_backend::Kirchhoff3DDevicePlan> device_plan;
#endif

  void build_table();
  void choose_tiles();
  double buffer_floats_per_trace() const;
  double tile_bytes_for(std::size_t lines, std::size_t traces) const;
};

namespace {

void validate_options(const Kirchhoff3DOptions& o) {
  if (std::isnan(o.aperture) || o.aperture <= 0.0) {
    std::ostringstream msg;
    msg << "3-D Kirchhoff aperture (radius, m) must be > 0 (infinity for the whole cube), got " << o.aperture;
    throw InvalidArgument(msg.str());
  }
  if (!std::isfinite(o.max_angle) || o.max_angle <= 0.0 || o.max_angle >= 1.5707963267948966) {
    std::ostringstream msg;
    msg << "3-D Kirchhoff max_angle (radians) must be in (0, pi/2), got " << o.max_angle;
    throw InvalidArgument(msg.str());
  }
  if (!std::isfinite(o.taper) || o.taper < 0.0 || o.taper > 1.0) {
    std::ostringstream msg;
    msg << "3-D Kirchhoff taper (fraction of the aperture) must be in [0, 1], got " << o.taper;
    throw InvalidArgument(msg.str());
  }
  if (!(o.tile_memory > 0.0) || !std::isfinite(o.tile_memory)) {
    std::ostringstream msg;
    msg << "3-D Kirchhoff tile_memory (bytes) must be finite and > 0, got " << o.tile_memory;
    throw InvalidArgument(msg.str());
  }
  if (o.oversampling < 1 || o.oversampling > 16) {
    std::ostringstream msg;
    msg << "3-D Kirchhoff oversampling must be in 1 .. 16, got " << o.oversampling;
    throw InvalidArgument(msg.str());
  }
}

constexpr double kPi = 3.14159265358979323846;

}  // namespace

void Kirchhoff3DPlan::Impl::build_table() {
  const BScanMetadata& m = metadata.line;
  const double dx = m.dx, dy = metadata.dy, height = m.antenna_height, half_offset = 0.5 * m.antenna_offset;
  const double tan_max = std::tan(options.max_angle);
  const std::size_t n_z = s.n_z;
  // Each row's radius (aperture and angle limits) and its reach in lines and
  // traces; the halos are the widest row's.
  std::vector<double> limit(n_z);
  std::vector<int> row_ky(n_z), row_kx(n_z);
  s.halo_lines = s.halo_traces = 0;
  for (std::size_t row = 0; row < n_z; ++row) {
    const double z = axis.z0 + axis.dz * static_cast<double>(row);
    limit[row] = std::min(options.aperture, (z + height) * tan_max);
    row_ky[row] = static_cast<int>(std::min(static_cast<double>(s.n_lines - 1), std::floor(limit[row] / dy + 1e-9)));
    row_kx[row] = static_cast<int>(std::min(static_cast<double>(s.n_traces - 1), std::floor(limit[row] / dx + 1e-9)));
  }
  // The table's size before it is made: the half-disc of each row, a bound
  // (the entries are counted in int, and a whole-cube aperture on a big cube
  // would otherwise fail allocating).
  double estimate = 0.0;
  for (std::size_t row = 0; row < n_z; ++row)
    estimate += static_cast<double>(row_ky[row] + 1) * static_cast<double>(2 * row_kx[row] + 1);
  if (estimate > 2.0e9) {
    std::ostringstream msg;
    msg << "3-D Kirchhoff table would hold up to " << estimate << " entries (" << estimate * 16.0 / 1e9
        << " GB): narrow the aperture radius (" << options.aperture << " m) or max_angle, or use fewer depth rows";
    throw InvalidArgument(msg.str());
  }
  const double scale = static_cast<double>(options.oversampling) / m.dt;
  const float max_length = 0.25f * static_cast<float>(s.n_os());
  const int n_os = static_cast<int>(s.n_os());
  std::vector<std::vector<detail::Kirchhoff3DEntry>> rows(n_z);
  std::vector<std::vector<float>> filters(n_z);

#pragma omp parallel for schedule(dynamic, 2)
  for (long long rr = 0; rr < static_cast<long long>(n_z); ++rr) {
    const std::size_t row = static_cast<std::size_t>(rr);
    const double z = axis.z0 + axis.dz * static_cast<double>(row);
    const double v = rms_velocity(velocity, z);  // for the amplitude weights
    const int ky = row_ky[row], kx = row_kx[row];
    const double taper_limit = std::max(limit[row], 0.5 * std::min(dx, dy));
    // The time of every offset within the row's reach, plus one each side
    // (the operator's dips at the aperture's edge, for anti-aliasing).
    const int width = 2 * kx + 3;
    auto time_position = [&](int dl, int dk) {
      const double along = dx * dk, across = dy * dl;  // trace midpoint minus image point
      const Leg tx = model_leg(velocity, detail::antenna_lateral(along, across, half_offset, -1), z, height);
      const Leg rx = model_leg(velocity, detail::antenna_lateral(along, across, half_offset, +1), z, height);
      return std::make_pair(static_cast<float>((tx.time + rx.time - m.t0) * scale), std::make_pair(tx, rx));
    };
    std::vector<float> grid;
    if (options.antialias) {
      grid.resize(static_cast<std::size_t>(ky + 2) * static_cast<std::size_t>(width));  // line offsets 0 .. ky + 1
      for (int dl = 0; dl <= ky + 1; ++dl)
        for (int dk = -kx - 1; dk <= kx + 1; ++dk)
          grid[static_cast<std::size_t>(dl) * width + static_cast<std::size_t>(dk + kx + 1)] =
              time_position(dl, dk).first;
    }
    auto position_at = [&](int dl, int dk) {  // symmetric in the line offset
      return grid[static_cast<std::size_t>(std::abs(dl)) * width + static_cast<std::size_t>(dk + kx + 1)];
    };
    for (int dl = 0; dl <= ky; ++dl) {
      for (int dk = -kx; dk <= kx; ++dk) {
        const double r = std::hypot(dx * dk, dy * dl);
        if (r > limit[row] * (1.0 + 1e-12) + 1e-15 && !(dl == 0 && dk == 0)) continue;
        double weight = detail::aperture_taper(r, taper_limit, options.taper);
        if (weight <= 0.0) continue;
        const auto tp = time_position(dl, dk);
        const Leg& tx = tp.second.first;
        const Leg& rx = tp.second.second;
        if (options.obliquity_weights) {
          const double cos_mean = 0.5 * (tx.cos_ground + rx.cos_ground);
          const double spreading = std::max(0.5 * (tx.spreading + rx.spreading), 0.5 * std::min(dx, dy));
          // Exploding-reflector half velocity u = v / 2 (the data are in two-way time).
          weight *= dx * dy * cos_mean / (2.0 * kPi * (0.5 * v) * spreading);
        } else {
          weight *= dx * dy;
        }
        rows[row].push_back({dl, dk, tp.first, static_cast<float>(weight)});
        if (options.antialias) {
          // The larger of the operator's dips along x and along y: a triangle
          // long enough for the steeper direction protects both.
          const float along_x = detail::antialias_half_length(position_at(dl, dk - 1), position_at(dl, dk + 1));
          const float along_y = detail::antialias_half_length(position_at(dl - 1, dk), position_at(dl + 1, dk));
          const float length = std::min(max_length, std::max(along_x, along_y));
          filters[row].push_back(length);
          filters[row].push_back(length > detail::antialias_min_half_length
                                     ? detail::antialias_dc_gain(tp.first, length, n_os)
                                     : 1.0f);
        }
      }
    }
  }
  s.entries.clear();
  s.antialias.clear();
  s.row_begin.assign(n_z + 1, 0);
  contributions = 0.0;
  const double n_lines = static_cast<double>(s.n_lines), n_traces = static_cast<double>(s.n_traces);
  for (std::size_t row = 0; row < n_z; ++row) {
    s.row_begin[row] = static_cast<int>(s.entries.size());
    for (const auto& e : rows[row]) {
      s.halo_lines = std::max(s.halo_lines, e.line_offset);
      s.halo_traces = std::max(s.halo_traces, std::abs(e.trace_offset));
      contributions += (e.line_offset == 0 ? 1.0 : 2.0) * (n_lines - e.line_offset) * (n_traces - std::abs(e.trace_offset));
    }
    s.entries.insert(s.entries.end(), rows[row].begin(), rows[row].end());
    s.antialias.insert(s.antialias.end(), filters[row].begin(), filters[row].end());
  }
  s.row_begin[n_z] = static_cast<int>(s.entries.size());
  s.antialias_pad = 0;
  if (options.antialias) {
    float longest = 0.0f;
    for (std::size_t e = 0; e < s.antialias.size(); e += 2) longest = std::max(longest, s.antialias[e]);
    s.antialias_pad = static_cast<int>(std::ceil(2.0f * longest)) + 2;
  }
}

// Floats per (line, trace) of the ring: the oversampled trace with its two
// border samples, and with anti-aliasing the doubly integrated trace and its mean.
double Kirchhoff3DPlan::Impl::buffer_floats_per_trace() const {
  double floats = static_cast<double>(s.n_os() + 2);
  if (options.antialias) floats += static_cast<double>(s.n_os() + 2 * static_cast<std::size_t>(s.antialias_pad) + 1);
  return floats;
}

// Bytes of one tile's buffers: the ring of lines, and on the GPU one line's
// pre-filter input and spectrum (the CPU filters in per-thread SIMD blocks).
double Kirchhoff3DPlan::Impl::tile_bytes_for(std::size_t lines, std::size_t traces) const {
  const double ring = static_cast<double>(std::min(s.n_lines, lines + 2 * static_cast<std::size_t>(s.halo_lines)));
  const double nb = static_cast<double>(std::min(s.n_traces, traces + 2 * static_cast<std::size_t>(s.halo_traces)));
  double per_trace = ring * buffer_floats_per_trace();
  if (device == Device::cuda)
    per_trace += options.derivative ? 3.0 * static_cast<double>(s.fft_length) + 2.0 : static_cast<double>(s.n_samples);
  return 4.0 * nb * per_trace;
}

void Kirchhoff3DPlan::Impl::choose_tiles() {
  const std::size_t n_lines = s.n_lines, n_traces = s.n_traces;
  const double budget = options.tile_memory;
  constexpr std::size_t kMinColumns = 32;  // below this the halo's repeated filtering dominates
  std::size_t lines = options.tile_lines > 0 ? std::min(options.tile_lines, n_lines) : 0;
  std::size_t traces = options.tile_traces > 0 ? std::min(options.tile_traces, n_traces) : 0;
  // Most image lines per block that fit with `width` columns per tile.
  auto lines_that_fit = [&](std::size_t width) -> std::size_t {
    std::size_t best = 0;
    for (std::size_t lo = 1, hi = n_lines; lo <= hi;) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (tile_bytes_for(mid, width) <= budget) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return best;
  };
  auto traces_that_fit = [&](std::size_t block) -> std::size_t {
    std::size_t best = 0;
    for (std::size_t lo = 1, hi = n_traces; lo <= hi;) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (tile_bytes_for(block, mid) <= budget) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return best;
  };
  if (lines == 0 && traces == 0) {
    lines = lines_that_fit(n_traces);  // whole lines first
    if (lines > 0) {
      traces = n_traces;
    } else {
      lines = 1;
      traces = std::max(std::min(kMinColumns, n_traces), traces_that_fit(1));
    }
  } else if (lines == 0) {
    lines = std::max<std::size_t>(1, lines_that_fit(traces));
  } else if (traces == 0) {
    traces = std::max(std::min(kMinColumns, n_traces), traces_that_fit(lines));
  }
  s.tile_lines = lines;
  s.tile_traces = traces;
}

Kirchhoff3DPlan::Kirchhoff3DPlan(const CubeMetadata& metadata, std::size_t n_lines, std::size_t n_samples,
                                 std::size_t n_traces, const VelocityModel& velocity, const DepthAxis& depth_axis,
                                 const Kirchhoff3DOptions& options, Device device)
    : impl_(std::make_unique<Impl>()) {
  validate(metadata);
  velocity.validate();
  depth_axis.validate();
  migration_detail::check_plan_inputs("3-D Kirchhoff migration", metadata.line, n_samples, velocity, depth_axis);
  validate_options(options);
  check_cube_shape("3-D Kirchhoff migration", n_lines, n_samples, n_traces);
  Impl& p = *impl_;
  p.metadata = metadata;
  p.axis = depth_axis;
  p.velocity = velocity;
  p.options = options;
  p.device = resolve_device(device);
  cuda_backend::Kirchhoff3DSetup& s = p.s;
  s.n_lines = n_lines;
  s.n_samples = n_samples;
  s.n_traces = n_traces;
  s.n_z = depth_axis.n_z();
  s.oversampling = options.oversampling;
  s.derivative = options.derivative;
  s.fft_length = options.derivative ? next_power_of_two(2 * n_samples) : 0;
  s.dt = metadata.line.dt;
  p.build_table();
  p.choose_tiles();
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) p.device_plan = std::make_unique<cuda_backend::Kirchhoff3DDevicePlan>(s);
#endif
}

Kirchhoff3DPlan::~Kirchhoff3DPlan() = default;
Kirchhoff3DPlan::Kirchhoff3DPlan(Kirchhoff3DPlan&&) noexcept = default;
Kirchhoff3DPlan& Kirchhoff3DPlan::operator=(Kirchhoff3DPlan&&) noexcept = default;

std::size_t Kirchhoff3DPlan::n_lines() const { return impl_->s.n_lines; }
std::size_t Kirchhoff3DPlan::n_z() const { return impl_->s.n_z; }
std::size_t Kirchhoff3DPlan::n_x() const { return impl_->s.n_traces; }
ImageGrid3D Kirchhoff3DPlan::grid() const { return image_grid_3d(impl_->metadata, impl_->axis); }
Device Kirchhoff3DPlan::device() const { return impl_->device; }
double Kirchhoff3DPlan::contributions() const { return impl_->contributions; }
std::size_t Kirchhoff3DPlan::tile_lines() const { return impl_->s.tile_lines; }
std::size_t Kirchhoff3DPlan::tile_traces() const { return impl_->s.tile_traces; }
std::size_t Kirchhoff3DPlan::halo_lines() const { return static_cast<std::size_t>(impl_->s.halo_lines); }
std::size_t Kirchhoff3DPlan::halo_traces() const { return static_cast<std::size_t>(impl_->s.halo_traces); }
double Kirchhoff3DPlan::tile_bytes() const { return impl_->tile_bytes_for(impl_->s.tile_lines, impl_->s.tile_traces); }
double Kirchhoff3DPlan::table_bytes() const {
  return static_cast<double>(impl_->s.entries.size() * sizeof(detail::Kirchhoff3DEntry) +
                             impl_->s.antialias.size() * sizeof(float) + impl_->s.row_begin.size() * sizeof(int));
}

void Kirchhoff3DPlan::execute(ConstBScanStackView in, BScanStackView out) const {
  const Impl& p = *impl_;
  check_cube_views("3-D Kirchhoff migration", in, p.s.n_lines, p.s.n_samples, p.s.n_traces, out, p.s.n_z,
                   p.device == Device::cuda);
  std::lock_guard<std::mutex> lock(p.mutex);
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) {
    p.device_plan->execute(in, out);
    return;
  }
#endif
  kirchhoff_3d_execute_cpu(p.s, p.workspace, in, out);
}

DepthImage3D Kirchhoff3DPlan::execute(const Cube& in) const {
  const Impl& p = *impl_;
  check_same_cube_geometry(p.metadata, in.metadata);
  DepthImage3D image(n_lines(), n_z(), n_x(), grid(), p.velocity);
  execute(in.view(), image.view());
  image.history = in.history;
  auto params = migration_history("kirchhoff_3d", p.axis);
  params.add("velocities", p.velocity.velocities)
      .add("layer_tops", p.velocity.layer_tops)
      .add("max_angle", p.options.max_angle)
      .add("taper", p.options.taper)
      .add("derivative", p.options.derivative)
      .add("obliquity_weights", p.options.obliquity_weights)
      .add("oversampling", p.options.oversampling)
      .add("antialias", p.options.antialias)
      .add("device", to_string(p.device));
  if (std::isfinite(p.options.aperture))
    params.add("aperture", p.options.aperture);
  else
    params.add("aperture", "whole cube");
  append_history(image.history, "migrate", params);
  return image;
}

void migrate_kirchhoff_3d(ConstBScanStackView in, const CubeMetadata& metadata, const VelocityModel& velocity,
                          const DepthAxis& depth_axis, const Kirchhoff3DOptions& options, BScanStackView out,
                          Device device) {
  validate(in, "3-D migration input");
  Kirchhoff3DPlan plan(metadata, in.n_bscans, in.n_samples, in.n_traces, velocity, depth_axis, options, device);
  plan.execute(in, out);
}

DepthImage3D migrate_kirchhoff_3d(const Cube& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                                  const Kirchhoff3DOptions& options, Device device) {
  validate(in.view(), "3-D migration input");
  Kirchhoff3DPlan plan(in.metadata, in.n_lines(), in.n_samples(), in.n_traces(), velocity, depth_axis, options,
                       device);
  return plan.execute(in);
}

}  // namespace gprproc
