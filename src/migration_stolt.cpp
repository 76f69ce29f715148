// Stolt f-k migration, constant velocity (Stolt 1978): 2-D FFT of the
// zero-padded B-scan, Stolt's change of variables omega -> kz read between the
// frequency bins by windowed sinc, obliquity (Jacobian) scaling, inverse FFT in
// depth. Frequencies below u |kx| (evanescent) are never read; frequencies
// past the Nyquist band give zero.
//
// The time buffer is rotated by `centre` samples so the data sit around index
// 0: the spectrum is then smooth between bins and a short sinc reads it well;
// the rotation (and t0, and the surface time) are undone by a phase factor
// after the interpolation.
#include <algorithm>
#include <cmath>
#include <complex>
#include <mutex>
#include <sstream>
#include <vector>

#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/plausibility.hpp"
#include "migration_common.hpp"
#include "migration_cuda.hpp"  // plain C++: the StoltSetup layout both backends use
#include "migration_fk_cpu.hpp"

namespace gprproc {

using namespace migration_detail;
using cfloat = std::complex<float>;

struct StoltPlan::Impl {
  BScanMetadata metadata;
  DepthAxis axis;
  double velocity = 0.0;
  StoltOptions options;
  Device device = Device::cpu;
  cuda_backend::StoltSetup s;
  // CPU: the zero-offset B-scan when s.offset_position is set. This scratch
  // (and the device plan's buffers) is the plan's own: execute holds
  // execute_mutex, so threads sharing a plan take turns.
  mutable std::mutex execute_mutex;
  mutable std::vector<float> remapped, moved;
#ifdef GPRPROC_HAS_CUDA
  std::unique_ptr<cuda_backend::StoltDevicePlan> device_plan;
#endif
  void execute_cpu(ConstBScanView in, BScanView out) const;
};

void StoltPlan::Impl::execute_cpu(ConstBScanView in, BScanView out) const {
  const std::size_t nt = s.nt, nx = s.nx, nz = s.nz, nk = nt / 2 + 1, nzk = nz / 2 + 1;
  // 1-2. Time FFT of each (rotated, zero-padded) trace, then FFT along x.
  const std::vector<cfloat> spectrum = fk_spectrum(in, nt, nx, s.centre);  // [kx][omega]
  // 3. Stolt mapping onto (kx, kz >= 0).
  std::vector<cfloat> image_spectrum(nx * nzk);  // [kx][kz]
  const float u = static_cast<float>(s.half_velocity);
  const double two_pi = 2.0 * 3.14159265358979323846;
  const detail::StoltMapConstants c = detail::stolt_map_constants(static_cast<int>(nt), s.dt, s.dz, s.half_velocity);
#pragma omp parallel for schedule(static)
  for (long long aa = 0; aa < static_cast<long long>(nx); ++aa) {
    const std::size_t a = static_cast<std::size_t>(aa);
    const long long signed_a = 2 * a < nx ? static_cast<long long>(a) : static_cast<long long>(a) - static_cast<long long>(nx);
    const float kx = static_cast<float>(two_pi * static_cast<double>(signed_a) / (static_cast<double>(nx) * s.dx));
    const std::size_t mirror = (nx - a) % nx;
    for (std::size_t m = 0; m < nzk; ++m) {
      const float kz = static_cast<float>(two_pi * static_cast<double>(m) / (static_cast<double>(nz) * s.dz));
      const float omega = detail::stolt_frequency(kx, kz, u);
      const float f = omega * c.bins_per_omega;
      cfloat value(0.0f, 0.0f);
      if (m > 0 && f <= c.f_max) {
        const detail::StoltValue v = detail::stolt_map_point(
            reinterpret_cast<const float*>(spectrum.data() + a * nk), reinterpret_cast<const float*>(spectrum.data() + mirror * nk),
            c.taps, f, omega, kx, kz, s.time_origin_shift, s.z0, s.datum_height, c.amplitude);
        value = cfloat(v.re, v.im);
      }
      image_spectrum[a * nzk + m] = value;
    }
  }
  // 4. Inverse FFT along x, then along depth, one image column at a time.
  fk_inverse(image_spectrum.data(), nz, nx, 0, s.n_traces, s.n_z, out.samples, s.n_traces);
}

StoltPlan::StoltPlan(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces, double velocity,
                     const DepthAxis& depth_axis, const StoltOptions& options, Device device)
    : impl_(std::make_unique<Impl>()) {
  plausibility::check_velocity("Stolt migration: velocity", velocity);
  check_plan_inputs("Stolt migration", metadata, n_samples, VelocityModel::constant(velocity), depth_axis);
  if (!std::isfinite(options.time_padding) || options.time_padding < 1.0 || options.time_padding > 16.0 ||
      !std::isfinite(options.trace_padding) || options.trace_padding < 1.0 || options.trace_padding > 16.0) {
    std::ostringstream msg;
    msg << "Stolt time_padding and trace_padding must be in [1, 16], got " << options.time_padding << " and "
        << options.trace_padding;
    throw InvalidArgument(msg.str());
  }
  if (n_samples < 2 || n_traces < 1) {
    std::ostringstream msg;
    msg << "Stolt migration needs at least 2 samples and 1 trace, got (" << n_samples << ", " << n_traces << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  Impl& p = *impl_;
  p.metadata = metadata;
  p.axis = depth_axis;
  p.velocity = velocity;
  p.options = options;
  p.device = resolve_device(device);

  auto& s = p.s;
  s.n_samples = n_samples;
  s.n_traces = n_traces;
  s.n_z = depth_axis.n_z();
  s.dt = metadata.dt;
  s.dx = metadata.dx;
  s.dz = depth_axis.dz;
  s.z0 = depth_axis.z0;
  s.half_velocity = 0.5 * velocity;
  s.nt = next_power_of_two(static_cast<std::size_t>(std::ceil(options.time_padding * static_cast<double>(n_samples))));
  s.nx = next_power_of_two(static_cast<std::size_t>(std::ceil(options.trace_padding * static_cast<double>(n_traces))));
  s.centre = n_samples / 2;
  s.time_origin_shift = metadata.t0 + static_cast<double>(s.centre) * metadata.dt;
  s.datum_height = metadata.antenna_height;
  if (options.correct_offset && metadata.antenna_offset != 0.0) {
    const VelocityModel model = VelocityModel::constant(velocity);
    s.offset_position = offset_positions(metadata, model, n_samples);
    if (options.dip_moveout) s.dip_moveout = dip_moveout_setup(metadata, model, s.offset_position, n_traces);
  }
  const double surface_time = 2.0 * metadata.antenna_height / speed_of_light;
  // Depth FFT long enough that nothing the data can image wraps into the rows kept.
  const double t_end = metadata.t0 + metadata.dt * static_cast<double>(n_samples - 1);
  const double data_depth = std::max(0.0, s.half_velocity * (t_end - surface_time));
  const double span_rows = (std::max(data_depth, depth_axis.depth) + depth_axis.z0) / depth_axis.dz;
  s.nz = next_power_of_two(std::max<std::size_t>(2 * s.n_z, static_cast<std::size_t>(span_rows) + s.n_z + 16));
  const double cells = static_cast<double>(s.nz) * static_cast<double>(s.nx) +
                       static_cast<double>(s.nt) * static_cast<double>(s.nx);
  if (cells > 1.5e9) {
    std::ostringstream msg;
    msg << "Stolt migration would need FFTs of " << s.nt << " x " << s.nx << " and " << s.nz << " x " << s.nx
        << " points: too large; use a coarser depth axis (dz) or fewer samples";
    throw InvalidArgument(msg.str());
  }
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) p.device_plan = std::make_unique<cuda_backend::StoltDevicePlan>(s);
#endif
  if (p.device == Device::cpu && !s.offset_position.empty()) p.remapped.resize(n_samples * n_traces);
  if (p.device == Device::cpu && !s.dip_moveout.empty()) p.moved.resize(n_samples * n_traces);
}

StoltPlan::~StoltPlan() = default;
StoltPlan::StoltPlan(StoltPlan&&) noexcept = default;
StoltPlan& StoltPlan::operator=(StoltPlan&&) noexcept = default;

std::size_t StoltPlan::n_z() const { return impl_->s.n_z; }
std::size_t StoltPlan::n_x() const { return impl_->s.n_traces; }
ImageGrid StoltPlan::grid() const { return image_grid(impl_->metadata, impl_->axis); }
Device StoltPlan::device() const { return impl_->device; }

void StoltPlan::execute(ConstBScanView in, BScanView out) const {
  const Impl& p = *impl_;
  check_views(in, p.s.n_samples, p.s.n_traces, out, p.s.n_z, p.s.n_traces, p.device == Device::cuda);
  const std::lock_guard<std::mutex> lock(p.execute_mutex);  // the scratch is shared: one execute at a time
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) {
    p.device_plan->execute(in, out);
    return;
  }
#endif
  in = remap_to_zero_offset(in, p.s.offset_position, p.s.dip_moveout, p.remapped, p.moved);  // common offset -> zero offset first
  p.execute_cpu(in, out);
}

DepthImage StoltPlan::execute(const BScan& in) const {
  check_same_geometry(impl_->metadata, in.metadata);
  DepthImage image(n_z(), n_x(), grid(), VelocityModel::constant(impl_->velocity));
  execute(in.view(), image.view());
  image.history = in.history;
  auto params = migration_history("stolt", impl_->axis);
  params.add("velocity", impl_->velocity)
      .add("time_padding", impl_->options.time_padding)
      .add("trace_padding", impl_->options.trace_padding)
      .add("correct_offset", impl_->options.correct_offset)
      .add("dip_moveout", impl_->options.dip_moveout)
      .add("device", to_string(impl_->device));
  append_history(image.history, "migrate", params);
  return image;
}

void migrate_stolt(ConstBScanView in, const BScanMetadata& metadata, double velocity, const DepthAxis& depth_axis,
                   const StoltOptions& options, BScanView out, Device device) {
  validate(in, "migration input");
  StoltPlan plan(metadata, in.n_samples, in.n_traces, velocity, depth_axis, options, device);
  plan.execute(in, out);
}

DepthImage migrate_stolt(const BScan& in, double velocity, const DepthAxis& depth_axis, const StoltOptions& options,
                         Device device) {
  validate(in.view(), "migration input");
  StoltPlan plan(in.metadata, in.n_samples(), in.n_traces(), velocity, depth_axis, options, device);
  return plan.execute(in);
}

}  // namespace gprproc
