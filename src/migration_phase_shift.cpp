// Phase-shift migration (Gazdag 1978) for a layered v(z): the zero-offset
// B-scan's 2-D spectrum D(kx, w) is continued down to each image row by
// exp(i sum_l kz_l h_l), kz_l = sqrt((w / u_l)^2 - kx^2), u_l = v_l / 2 and h_l
// the thickness of layer l above the row, and imaged at t = 0 by summing over
// w. Waves evanescent in a layer crossed are dropped. An antenna height is
// removed first by the same continuation through air (as Stolt). The sum over
// negative w is the complex conjugate of the positive one at -kx, so only
// w > 0 is summed and the image is 2 Re of the inverse x transform.
#include <algorithm>
#include <cmath>
#include <complex>
#include <optional>
#include <mutex>
#include <sstream>
#include <vector>

#include "fft_cpu.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/detail/phase_shift_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "migration_common.hpp"
#include "migration_cuda.hpp"  // plain C++: the PhaseShiftSetup layout both backends use
#include "migration_fk_cpu.hpp"
#include "parallel_errors.hpp"

namespace gprproc {

using namespace migration_detail;
using cfloat = std::complex<float>;

namespace {

cuda_backend::PhaseShiftSetup make_setup(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                                         const VelocityModel& velocity, const DepthAxis& axis,
                                         const PhaseShiftOptions& options) {
  cuda_backend::PhaseShiftSetup s;
  s.n_samples = n_samples;
  s.n_traces = n_traces;
  s.n_z = axis.n_z();
  s.nt = next_power_of_two(static_cast<std::size_t>(std::ceil(options.time_padding * static_cast<double>(n_samples))));
  s.nx = next_power_of_two(static_cast<std::size_t>(std::ceil(options.trace_padding * static_cast<double>(n_traces))));
  // Everything below is sized from these: checked before it is made (the
  // time FFT, the image spectrum of n_z rows, the per-row layer thicknesses).
  const double cells = static_cast<double>(s.nt) * static_cast<double>(s.nx);
  const double image_cells = static_cast<double>(s.n_z) * static_cast<double>(s.nx);
  const double layer_cells = static_cast<double>(s.n_z) * static_cast<double>(velocity.velocities.size());
  if (cells > 1.5e9 || image_cells > 1.5e9 || layer_cells > 1.5e9) {
    std::ostringstream msg;
    msg << "phase-shift migration would need a " << s.nt << " x " << s.nx << " FFT, a " << s.n_z << " x " << s.nx
        << " image spectrum and " << s.n_z << " x " << velocity.velocities.size()
        << " layer thicknesses (at most 1.5e9 values each): too large; use a coarser depth step 'dz' ("
        << axis.dz << " m), fewer layers or less padding";
    throw InvalidArgument(msg.str());
  }
  s.dt = metadata.dt;
  s.dx = metadata.dx;
  s.t0 = metadata.t0;
  s.antenna_height = metadata.antenna_height;
  s.n_layers = static_cast<int>(velocity.velocities.size());
  for (double v : velocity.velocities) s.half_velocity.push_back(0.5 * v);
  s.thickness.assign(s.n_z * velocity.velocities.size(), 0.0);
  for (std::size_t i = 0; i < s.n_z; ++i) {
    const double z = axis.z0 + axis.dz * static_cast<double>(i);
    for (std::size_t l = 0; l < velocity.velocities.size(); ++l) {
      const double top = velocity.layer_tops[l];
      const double bottom = l + 1 < velocity.layer_tops.size() ? velocity.layer_tops[l + 1] : z;
      s.thickness[i * velocity.velocities.size() + l] = std::max(0.0, std::min(bottom, z) - top);
    }
  }
  if (options.correct_offset && metadata.antenna_offset != 0.0) {
    s.offset_position = offset_positions(metadata, velocity, n_samples);
    if (options.dip_moveout) s.dip_moveout = dip_moveout_setup(metadata, velocity, s.offset_position, n_traces);
  }
  return s;
}

void phase_shift_cpu(const cuda_backend::PhaseShiftSetup& s, ConstBScanView in, BScanView out) {
  const std::size_t nt = s.nt, nx = s.nx, nk = nt / 2 + 1;
  const double two_pi = 2.0 * 3.14159265358979323846;
  const std::vector<cfloat> spectrum = fk_spectrum(in, nt, nx, 0);  // [kx][w]
  // 3. Per kx: continue every frequency down the whole column by rotations
  //    and sum over the frequencies (detail::phase_shift_group, which a CUDA
  //    thread runs on 16 rows).
  std::vector<cfloat> rows(s.n_z * nx);  // [z][kx]
  const int n_layers = s.n_layers;
  const double* thickness = s.thickness.data();
  const double* half_velocity = s.half_velocity.data();
  parallel::ParallelErrors errors;  // allocations must not throw out of the regions
#pragma omp parallel
  {
    std::vector<double> sum_re, sum_im;
    const bool ready = errors.run([&] {
      sum_re.resize(s.n_z);
      sum_im.resize(s.n_z);
    });
#pragma omp for schedule(dynamic, 4)
    for (long long aa = 0; aa < static_cast<long long>(nx); ++aa) {
      if (!ready || errors.failed()) continue;
      const std::size_t a = static_cast<std::size_t>(aa);
      const long long signed_a =
          2 * a < nx ? static_cast<long long>(a) : static_cast<long long>(a) - static_cast<long long>(nx);
      const double kx = two_pi * static_cast<double>(signed_a) / (static_cast<double>(nx) * s.dx);
      std::fill(sum_re.begin(), sum_re.end(), 0.0);
      std::fill(sum_im.begin(), sum_im.end(), 0.0);
      detail::phase_shift_group<0>(reinterpret_cast<const float*>(spectrum.data() + a * nk), static_cast<int>(nt),
                                   s.dt, kx, s.t0, s.antenna_height, thickness, half_velocity, n_layers, 0,
                                   static_cast<int>(s.n_z), sum_re.data(), sum_im.data());
      for (std::size_t i = 0; i < s.n_z; ++i)
        rows[i * nx + a] = cfloat(static_cast<float>(sum_re[i]), static_cast<float>(sum_im[i]));
    }
  }
  // image = (2 / nt) Re( inverse x transform ).
  const float scale = 2.0f / static_cast<float>(nt);
  errors.rethrow();
#pragma omp parallel
  {
    std::vector<cfloat> column;
    std::optional<cpu::ComplexFft> plan;
    const bool ready = errors.run([&] {
      column.resize(nx);
      plan.emplace(nx);
    });
#pragma omp for schedule(static)
    for (long long ii = 0; ii < static_cast<long long>(s.n_z); ++ii) {
      if (!ready) continue;
      const std::size_t i = static_cast<std::size_t>(ii);
      errors.run([&] { plan->inverse(rows.data() + i * nx, column.data()); });
      for (std::size_t j = 0; j < s.n_traces; ++j) out.samples[i * s.n_traces + j] = scale * column[j].real();
    }
  }
  errors.rethrow();
}

}  // namespace

struct PhaseShiftPlan::Impl {
  BScanMetadata metadata;
  DepthAxis axis;
  VelocityModel velocity;
  PhaseShiftOptions options;
  Device device = Device::cpu;
  cuda_backend::PhaseShiftSetup s;
  // CPU: the zero-offset B-scan when s.offset_position is set. This scratch
  // (and the device plan's buffers) is the plan's own: execute holds
  // execute_mutex, so threads sharing a plan take turns.
  mutable std::mutex execute_mutex;
  mutable std::vector<float> remapped, moved;
#ifdef GPRPROC_HAS_CUDA
  std::unique_ptr<cuda_backend::PhaseShiftDevicePlan> device_plan;
#endif
};

PhaseShiftPlan::PhaseShiftPlan(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                               const VelocityModel& velocity, const DepthAxis& depth_axis,
                               const PhaseShiftOptions& options, Device device)
    : impl_(std::make_unique<Impl>()) {
  check_plan_inputs("phase-shift migration", metadata, n_samples, velocity, depth_axis);
  if (!std::isfinite(options.time_padding) || options.time_padding < 1.0 || options.time_padding > 16.0 ||
      !std::isfinite(options.trace_padding) || options.trace_padding < 1.0 || options.trace_padding > 16.0) {
    std::ostringstream msg;
    msg << "phase-shift time_padding and trace_padding must be in [1, 16], got " << options.time_padding << " and "
        << options.trace_padding;
    throw InvalidArgument(msg.str());
  }
  if (n_samples < 2 || n_traces < 1) {
    std::ostringstream msg;
    msg << "phase-shift migration needs at least 2 samples and 1 trace, got (" << n_samples << ", " << n_traces
        << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  Impl& p = *impl_;
  p.metadata = metadata;
  p.axis = depth_axis;
  p.velocity = velocity;
  p.options = options;
  p.device = resolve_device(device);
  p.s = make_setup(metadata, n_samples, n_traces, velocity, depth_axis, options);
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) p.device_plan = std::make_unique<cuda_backend::PhaseShiftDevicePlan>(p.s);
#endif
  if (p.device == Device::cpu && !p.s.offset_position.empty()) p.remapped.resize(n_samples * n_traces);
  if (p.device == Device::cpu && !p.s.dip_moveout.empty()) p.moved.resize(n_samples * n_traces);
}

PhaseShiftPlan::~PhaseShiftPlan() = default;
PhaseShiftPlan::PhaseShiftPlan(PhaseShiftPlan&&) noexcept = default;
PhaseShiftPlan& PhaseShiftPlan::operator=(PhaseShiftPlan&&) noexcept = default;

std::size_t PhaseShiftPlan::n_z() const { return impl_->s.n_z; }
std::size_t PhaseShiftPlan::n_x() const { return impl_->s.n_traces; }
ImageGrid PhaseShiftPlan::grid() const { return image_grid(impl_->metadata, impl_->axis); }
Device PhaseShiftPlan::device() const { return impl_->device; }

void PhaseShiftPlan::execute(ConstBScanView in, BScanView out) const {
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
  phase_shift_cpu(p.s, in, out);
}

DepthImage PhaseShiftPlan::execute(const BScan& in) const {
  const Impl& p = *impl_;
  check_same_geometry(p.metadata, in.metadata);
  DepthImage image(n_z(), n_x(), grid(), p.velocity);
  execute(in.view(), image.view());
  image.history = in.history;
  auto params = migration_history("phase_shift", p.axis);
  params.add("velocities", p.velocity.velocities)
      .add("layer_tops", p.velocity.layer_tops)
      .add("time_padding", p.options.time_padding)
      .add("trace_padding", p.options.trace_padding)
      .add("correct_offset", p.options.correct_offset)
      .add("dip_moveout", p.options.dip_moveout)
      .add("device", to_string(p.device));
  append_history(image.history, "migrate", params);
  return image;
}

void migrate_phase_shift(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                         const DepthAxis& depth_axis, const PhaseShiftOptions& options, BScanView out, Device device) {
  validate(in, "migration input");
  PhaseShiftPlan plan(metadata, in.n_samples, in.n_traces, velocity, depth_axis, options, device);
  plan.execute(in, out);
}

DepthImage migrate_phase_shift(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                               const PhaseShiftOptions& options, Device device) {
  validate(in.view(), "migration input");
  PhaseShiftPlan plan(in.metadata, in.n_samples(), in.n_traces(), velocity, depth_axis, options, device);
  return plan.execute(in);
}

}  // namespace gprproc
