// 3-D Stolt f-k migration, constant velocity (Stolt 1978): the 3-D FFT of the
// zero-padded, zero-offset cube (time, then x per line, then y), Stolt's
// change of variables omega = u sqrt(kx^2 + ky^2 + kz^2) read between the
// frequency bins by windowed sinc, with the obliquity (Jacobian) scaling,
// then the inverse FFTs in y, x and depth. The mapping of one (kx, ky, kz)
// point depends on kx and ky only through kh = |(kx, ky)|, so it is the 2-D
// plan's detail::stolt_map_point with kh in place of kx; the negative
// frequencies of (kx, ky) are the conjugates of (-kx, -ky)'s positive ones.
// Time rotation, t0, the surface time and the air datum as the 2-D plan.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <mutex>
#include <sstream>
#include <vector>

#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration_3d.hpp"
#include "migration/migration_3d_common.hpp"
#include "migration/migration_3d_cuda.hpp"
#include "migration_common.hpp"
#include "migration_fk_cpu.hpp"

namespace gprproc {

using namespace migration_detail;
using cfloat = std::complex<float>;

namespace {

double wavenumber(std::size_t index, std::size_t n, double spacing) {
  const double two_pi = 2.0 * 3.14159265358979323846;
  const long long signed_index =
      2 * index < n ? static_cast<long long>(index) : static_cast<long long>(index) - static_cast<long long>(n);
  return two_pi * static_cast<double>(signed_index) / (static_cast<double>(n) * spacing);
}

void stolt_3d_cpu(const cuda_backend::Stolt3DSetup& s, ConstBScanStackView in, BScanStackView out) {
  const std::size_t nt = s.nt, nx = s.nx, ny = s.ny, nz = s.nz, nk = nt / 2 + 1, nzk = nz / 2 + 1;
  const std::size_t plane = nx * nk;
  // 1. [y][kx][w]: each line's rotated 2-D spectrum, then the FFT along y.
  std::vector<cfloat> spectrum(ny * plane, cfloat(0.0f, 0.0f));
  for (std::size_t j = 0; j < s.n_lines; ++j) {
    const std::vector<cfloat> line = fk_spectrum(in.bscan(j), nt, nx, s.centre);
    std::memcpy(spectrum.data() + j * plane, line.data(), plane * sizeof(cfloat));
  }
  fft_columns(spectrum.data(), ny, plane, true);
  // 2. Stolt's mapping onto (ky, kx, kz >= 0).
  std::vector<cfloat> image(ny * nx * nzk);  // [ky][kx][kz]
  const float u = static_cast<float>(s.half_velocity);
  const double two_pi = 2.0 * 3.14159265358979323846;
  const detail::StoltMapConstants c = detail::stolt_map_constants(static_cast<int>(nt), s.dt, s.dz, s.half_velocity);
  const std::size_t columns = ny * nx;
#pragma omp parallel for schedule(static)
  for (long long cc = 0; cc < static_cast<long long>(columns); ++cc) {
    const std::size_t col = static_cast<std::size_t>(cc), b = col / nx, a = col % nx;
    const double kx = wavenumber(a, nx, s.dx), ky = wavenumber(b, ny, s.dy);
    const float kh = static_cast<float>(std::sqrt(kx * kx + ky * ky));
    const std::size_t mirror = ((ny - b) % ny) * nx + (nx - a) % nx;
    for (std::size_t m = 0; m < nzk; ++m) {
      const float kz = static_cast<float>(two_pi * static_cast<double>(m) / (static_cast<double>(nz) * s.dz));
      const float omega = detail::stolt_frequency(kh, kz, u);
      const float f = omega * c.bins_per_omega;
      cfloat value(0.0f, 0.0f);
      if (m > 0 && f <= c.f_max) {
        const detail::StoltValue v = detail::stolt_map_point(
            reinterpret_cast<const float*>(spectrum.data() + col * nk),
            reinterpret_cast<const float*>(spectrum.data() + mirror * nk), c.taps, f, omega, kh, kz,
            s.time_origin_shift, s.z0, s.datum_height, c.amplitude);
        value = cfloat(v.re, v.im);
      }
      image[col * nzk + m] = value;
    }
  }
  spectrum = std::vector<cfloat>();
  // 3. Inverse along y, then per line along x and depth.
  fft_columns(image.data(), ny, nx * nzk, false);
  for (std::size_t j = 0; j < s.n_lines; ++j)
    fk_inverse(image.data() + j * nx * nzk, nz, nx, 0, s.n_traces, s.n_z, out.samples + j * s.n_z * s.n_traces,
               s.n_traces);
}

}  // namespace

struct Stolt3DPlan::Impl {
  CubeMetadata metadata;
  DepthAxis axis;
  double velocity = 0.0;
  Stolt3DOptions options;
  Device device = Device::cpu;
  cuda_backend::Stolt3DSetup s;
  mutable std::mutex mutex;  // execute() is serialised (the remap buffers are the plan's)
  mutable std::vector<float> remapped, line_scratch, line_moved;
#ifdef GPRPROC_HAS_CUDA
  std::unique_ptr<cuda_backend::Stolt3DDevicePlan> device_plan;
#endif
};

Stolt3DPlan::Stolt3DPlan(const CubeMetadata& metadata, std::size_t n_lines, std::size_t n_samples,
                         std::size_t n_traces, double velocity, const DepthAxis& depth_axis,
                         const Stolt3DOptions& options, Device device)
    : impl_(std::make_unique<Impl>()) {
  validate(metadata);
  if (!std::isfinite(velocity) || velocity <= 0.0 || velocity > speed_of_light) {
    std::ostringstream msg;
    msg << "3-D Stolt velocity must be in (0, c = 2.998e8] m/s, got " << velocity;
    throw InvalidArgument(msg.str());
  }
  depth_axis.validate();
  migration_detail::check_plan_inputs("3-D Stolt migration", metadata.line, n_samples,
                                      VelocityModel::constant(velocity), depth_axis);
  const struct {
    const char* name;
    double value;
  } paddings[] = {{"time_padding", options.time_padding},
                  {"trace_padding", options.trace_padding},
                  {"line_padding", options.line_padding}};
  for (const auto& padding : paddings)
    if (!std::isfinite(padding.value) || padding.value < 1.0 || padding.value > 16.0) {
      std::ostringstream msg;
      msg << "3-D Stolt " << padding.name << " must be in [1, 16], got " << padding.value;
      throw InvalidArgument(msg.str());
    }
  check_cube_shape("3-D Stolt migration", n_lines, n_samples, n_traces);
  Impl& p = *impl_;
  p.metadata = metadata;
  p.axis = depth_axis;
  p.velocity = velocity;
  p.options = options;
  p.device = resolve_device(device);
  const BScanMetadata& m = metadata.line;
  auto& s = p.s;
  s.n_lines = n_lines;
  s.n_samples = n_samples;
  s.n_traces = n_traces;
  s.n_z = depth_axis.n_z();
  s.dt = m.dt;
  s.dx = m.dx;
  s.dy = metadata.dy;
  s.dz = depth_axis.dz;
  s.z0 = depth_axis.z0;
  s.half_velocity = 0.5 * velocity;
  // The 2-D plan's lengths (powers of two) in time, x and depth; lines as the 3-D phase shift.
  s.nt = next_power_of_two(static_cast<std::size_t>(std::ceil(options.time_padding * static_cast<double>(n_samples))));
  s.nx = next_power_of_two(static_cast<std::size_t>(std::ceil(options.trace_padding * static_cast<double>(n_traces))));
  s.ny = next_fast_fft_length(static_cast<std::size_t>(std::ceil(options.line_padding * static_cast<double>(n_lines))));
  s.centre = n_samples / 2;
  s.time_origin_shift = m.t0 + static_cast<double>(s.centre) * m.dt;
  s.datum_height = m.antenna_height;
  if (options.correct_offset && m.antenna_offset != 0.0) {
    const VelocityModel model = VelocityModel::constant(velocity);
    s.offset_position = offset_positions(m, model, n_samples);
    if (options.dip_moveout) s.dip_moveout = dip_moveout_setup(m, model, s.offset_position, n_traces);
  }
  const double surface_time = 2.0 * m.antenna_height / speed_of_light;
  const double t_end = m.t0 + m.dt * static_cast<double>(n_samples - 1);
  const double data_depth = std::max(0.0, s.half_velocity * (t_end - surface_time));
  const double span_rows = (std::max(data_depth, depth_axis.depth) + depth_axis.z0) / depth_axis.dz;
  s.nz = next_power_of_two(std::max<std::size_t>(2 * s.n_z, static_cast<std::size_t>(span_rows) + s.n_z + 16));
  const double cells = static_cast<double>(s.ny) * static_cast<double>(s.nx) *
                       (static_cast<double>(s.nt / 2 + 1) + static_cast<double>(s.nz / 2 + 1));
  if (cells > 2.0e9) {
    std::ostringstream msg;
    msg << "3-D Stolt migration would need spectra of " << s.ny << " x " << s.nx << " x " << s.nt / 2 + 1 << " and "
        << s.ny << " x " << s.nx << " x " << s.nz / 2 + 1
        << " points: too large; lower the paddings or use a coarser depth axis (dz)";
    throw InvalidArgument(msg.str());
  }
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) p.device_plan = std::make_unique<cuda_backend::Stolt3DDevicePlan>(s);
#endif
}

Stolt3DPlan::~Stolt3DPlan() = default;
Stolt3DPlan::Stolt3DPlan(Stolt3DPlan&&) noexcept = default;
Stolt3DPlan& Stolt3DPlan::operator=(Stolt3DPlan&&) noexcept = default;

std::size_t Stolt3DPlan::n_lines() const { return impl_->s.n_lines; }
std::size_t Stolt3DPlan::n_z() const { return impl_->s.n_z; }
std::size_t Stolt3DPlan::n_x() const { return impl_->s.n_traces; }
ImageGrid3D Stolt3DPlan::grid() const { return image_grid_3d(impl_->metadata, impl_->axis); }
Device Stolt3DPlan::device() const { return impl_->device; }

void Stolt3DPlan::execute(ConstBScanStackView in, BScanStackView out) const {
  const Impl& p = *impl_;
  const auto& s = p.s;
  check_cube_views("3-D Stolt migration", in, s.n_lines, s.n_samples, s.n_traces, out, s.n_z,
                   p.device == Device::cuda);
  std::lock_guard<std::mutex> lock(p.mutex);
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) {
    p.device_plan->execute(in, out);
    return;
  }
#endif
  in = remap_cube_to_zero_offset(in, s.offset_position, s.dip_moveout, p.remapped, p.line_scratch, p.line_moved);
  stolt_3d_cpu(s, in, out);
}

DepthImage3D Stolt3DPlan::execute(const Cube& in) const {
  const Impl& p = *impl_;
  check_same_cube_geometry(p.metadata, in.metadata);
  DepthImage3D image(n_lines(), n_z(), n_x(), grid(), VelocityModel::constant(p.velocity));
  execute(in.view(), image.view());
  image.history = in.history;
  auto params = migration_history("stolt_3d", p.axis);
  params.add("velocity", p.velocity)
      .add("time_padding", p.options.time_padding)
      .add("trace_padding", p.options.trace_padding)
      .add("line_padding", p.options.line_padding)
      .add("correct_offset", p.options.correct_offset)
      .add("dip_moveout", p.options.dip_moveout)
      .add("device", to_string(p.device));
  append_history(image.history, "migrate", params);
  return image;
}

void migrate_stolt_3d(ConstBScanStackView in, const CubeMetadata& metadata, double velocity,
                      const DepthAxis& depth_axis, const Stolt3DOptions& options, BScanStackView out, Device device) {
  validate(in, "3-D migration input");
  Stolt3DPlan plan(metadata, in.n_bscans, in.n_samples, in.n_traces, velocity, depth_axis, options, device);
  plan.execute(in, out);
}

DepthImage3D migrate_stolt_3d(const Cube& in, double velocity, const DepthAxis& depth_axis,
                              const Stolt3DOptions& options, Device device) {
  validate(in.view(), "3-D migration input");
  Stolt3DPlan plan(in.metadata, in.n_lines(), in.n_samples(), in.n_traces(), velocity, depth_axis, options, device);
  return plan.execute(in);
}

}  // namespace gprproc
