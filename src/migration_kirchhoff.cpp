// Kirchhoff (diffraction-summation) migration, 2-D: the plan builds a table of
// travel times and weights per (depth row, trace offset) once; execution
// filters and oversamples the traces, then sums along the tabulated curves.
// The image columns are the trace positions, so the geometry is
// shift-invariant along x and one table row serves a whole image row.
#include <algorithm>
#include <cmath>
#include <complex>
#include <sstream>
#include <vector>

#include "fft_cpu.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "migration_common.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "migration_cuda.hpp"
#endif

namespace gprproc {

using namespace migration_detail;

struct KirchhoffPlan::Impl {
  BScanMetadata metadata;
  std::size_t n_samples = 0, n_traces = 0, n_z = 0;
  DepthAxis axis;
  VelocityModel velocity;
  KirchhoffOptions options;
  Device device = Device::cpu;
  int half_width = 0;               // K
  std::vector<float> table;         // (n_z, 2K+1) x {position, weight}
  std::vector<int> row_half_width;  // per row
  std::size_t fft_length = 0;
  double contributions = 0.0;
#ifdef GPRPROC_HAS_CUDA
  std::unique_ptr<cuda_backend::KirchhoffDevicePlan> device_plan;
#endif

  void build_table();
  void execute_cpu(ConstBScanView in, BScanView out) const;
};

namespace {

void validate_options(const KirchhoffOptions& o) {
  if (std::isnan(o.aperture) || o.aperture <= 0.0) {
    std::ostringstream msg;
    msg << "Kirchhoff aperture (m) must be > 0 (infinity for all traces), got " << o.aperture;
    throw InvalidArgument(msg.str());
  }
  if (!std::isfinite(o.max_angle) || o.max_angle <= 0.0 || o.max_angle >= 1.5707963267948966) {
    std::ostringstream msg;
    msg << "Kirchhoff max_angle (radians) must be in (0, pi/2), got " << o.max_angle;
    throw InvalidArgument(msg.str());
  }
  if (!std::isfinite(o.taper) || o.taper < 0.0 || o.taper > 1.0) {
    std::ostringstream msg;
    msg << "Kirchhoff taper (fraction of the aperture) must be in [0, 1], got " << o.taper;
    throw InvalidArgument(msg.str());
  }
  if (o.oversampling < 1 || o.oversampling > 16) {
    std::ostringstream msg;
    msg << "Kirchhoff oversampling must be in 1 .. 16, got " << o.oversampling;
    throw InvalidArgument(msg.str());
  }
}

}  // namespace

void KirchhoffPlan::Impl::build_table() {
  const double dx = metadata.dx, height = metadata.antenna_height, half_offset = 0.5 * metadata.antenna_offset;
  const double tan_max = std::tan(options.max_angle);
  const double max_k = static_cast<double>(n_traces - 1);
  half_width = static_cast<int>(std::min(max_k, std::floor(options.aperture / dx + 1e-9)));
  const int width = 2 * half_width + 1;
  table.assign(n_z * static_cast<std::size_t>(width) * 2, 0.0f);
  row_half_width.assign(n_z, 0);
  const double scale = static_cast<double>(options.oversampling) / metadata.dt;

#pragma omp parallel for schedule(dynamic, 4)
  for (long long row = 0; row < static_cast<long long>(n_z); ++row) {
    const double z = axis.z0 + axis.dz * static_cast<double>(row);
    const double v = rms_velocity(velocity, z);  // for the amplitude weights
    const double limit = std::min(options.aperture, (z + height) * tan_max);
    const int row_k = static_cast<int>(std::min(static_cast<double>(half_width), std::floor(limit / dx + 1e-9)));
    row_half_width[static_cast<std::size_t>(row)] = row_k;
    float* entries = table.data() + static_cast<std::size_t>(row) * width * 2;
    for (int k = -row_k; k <= row_k; ++k) {
      const double lateral = dx * k;  // trace midpoint minus image column
      const Leg tx = model_leg(velocity, lateral - half_offset, z, height);
      const Leg rx = model_leg(velocity, lateral + half_offset, z, height);
      double weight = detail::aperture_taper(lateral, std::max(limit, 0.5 * dx), options.taper);
      if (options.obliquity_weights) {
        const double cos_mean = 0.5 * (tx.cos_ground + rx.cos_ground);
        const double spreading = std::max(0.5 * (tx.spreading + rx.spreading), 0.5 * dx);
        weight *= dx * cos_mean / std::sqrt(2.0 * 3.14159265358979323846 * v * spreading);
      } else {
        weight *= dx;
      }
      const std::size_t e = static_cast<std::size_t>(k + half_width) * 2;
      entries[e] = static_cast<float>((tx.time + rx.time - metadata.t0) * scale);
      entries[e + 1] = static_cast<float>(weight);
    }
  }
  contributions = 0.0;
  for (std::size_t row = 0; row < n_z; ++row)
    for (int k = -row_half_width[row]; k <= row_half_width[row]; ++k)
      contributions += static_cast<double>(n_traces) - std::abs(k);
}

void KirchhoffPlan::Impl::execute_cpu(ConstBScanView in, BScanView out) const {
  const int oversampling = options.oversampling;
  const std::size_t n_os = n_samples * static_cast<std::size_t>(oversampling);
  std::vector<float> traces(n_os * n_traces);

  // 1. Per trace: rho filter (FFT, zero-padded against wrap-around), then
  //    windowed-sinc resampling onto a grid `oversampling` times finer.
#pragma omp parallel
  {
    std::vector<float> trace(std::max(fft_length, n_samples), 0.0f);
    std::vector<std::complex<float>> spectrum(fft_length / 2 + 1);
    cpu::RealFft fft(fft_length ? fft_length : 1);
#pragma omp for schedule(static)
    for (long long jj = 0; jj < static_cast<long long>(n_traces); ++jj) {
      const std::size_t j = static_cast<std::size_t>(jj);
      std::fill(trace.begin(), trace.end(), 0.0f);
      for (std::size_t i = 0; i < n_samples; ++i) trace[i] = in.samples[i * n_traces + j];
      if (options.half_derivative) {
        fft.forward(trace.data(), spectrum.data());
        for (std::size_t k = 0; k < spectrum.size(); ++k) {
          const auto f = detail::half_derivative_factor(static_cast<int>(k), static_cast<int>(fft_length), metadata.dt);
          spectrum[k] *= std::complex<float>(f.re, f.im);
        }
        fft.inverse(spectrum.data(), trace.data());
      }
      float* dst = traces.data() + j * n_os;
      if (oversampling == 1) {
        std::copy(trace.begin(), trace.begin() + static_cast<std::ptrdiff_t>(n_samples), dst);
      } else {
        const float step = 1.0f / static_cast<float>(oversampling);
        for (std::size_t q = 0; q < n_os; ++q)
          dst[q] = detail::sinc_sample(trace.data(), static_cast<int>(n_samples), static_cast<float>(q) * step);
      }
    }
  }

  // 2. Diffraction sum, one image row per task: for each trace, add its
  //    samples along the row's tabulated curve into the pixels it reaches.
  const int width = 2 * half_width + 1;
  const long long n_x = static_cast<long long>(n_traces);
#pragma omp parallel
  {
    std::vector<float> acc(n_traces);
#pragma omp for schedule(dynamic, 2)
    for (long long row = 0; row < static_cast<long long>(n_z); ++row) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      const float* entries = table.data() + static_cast<std::size_t>(row) * width * 2;
      const int row_k = row_half_width[static_cast<std::size_t>(row)];
      for (long long m = 0; m < n_x; ++m) {
        const float* trace = traces.data() + static_cast<std::size_t>(m) * n_os;
        const int k_lo = static_cast<int>(std::max<long long>(-row_k, m - (n_x - 1)));
        const int k_hi = static_cast<int>(std::min<long long>(row_k, m));
        for (int k = k_lo; k <= k_hi; ++k) {
          const float* e = entries + static_cast<std::size_t>(k + half_width) * 2;
          acc[static_cast<std::size_t>(m - k)] += e[1] * detail::linear_sample(trace, static_cast<int>(n_os), e[0]);
        }
      }
      std::copy(acc.begin(), acc.end(), out.samples + static_cast<std::size_t>(row) * n_traces);
    }
  }
}

KirchhoffPlan::KirchhoffPlan(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                             const VelocityModel& velocity, const DepthAxis& depth_axis,
                             const KirchhoffOptions& options, Device device)
    : impl_(std::make_unique<Impl>()) {
  validate(metadata);
  velocity.validate();
  depth_axis.validate();
  validate_options(options);
  if (n_samples < 2 || n_traces < 1) {
    std::ostringstream msg;
    msg << "Kirchhoff migration needs at least 2 samples and 1 trace, got (" << n_samples << ", " << n_traces << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  Impl& p = *impl_;
  p.metadata = metadata;
  p.n_samples = n_samples;
  p.n_traces = n_traces;
  p.axis = depth_axis;
  p.n_z = depth_axis.n_z();
  p.velocity = velocity;
  p.options = options;
  p.device = resolve_device(device);
  if (options.half_derivative) p.fft_length = next_power_of_two(2 * n_samples);
  p.build_table();
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) {
    cuda_backend::KirchhoffSetup setup;
    setup.n_samples = n_samples;
    setup.n_traces = n_traces;
    setup.n_z = p.n_z;
    setup.oversampling = options.oversampling;
    setup.half_width = p.half_width;
    setup.table = p.table;
    setup.row_half_width = p.row_half_width;
    setup.half_derivative = options.half_derivative;
    setup.fft_length = p.fft_length;
    setup.dt = metadata.dt;
    p.device_plan = std::make_unique<cuda_backend::KirchhoffDevicePlan>(setup);
  }
#endif
}

KirchhoffPlan::~KirchhoffPlan() = default;
KirchhoffPlan::KirchhoffPlan(KirchhoffPlan&&) noexcept = default;
KirchhoffPlan& KirchhoffPlan::operator=(KirchhoffPlan&&) noexcept = default;

std::size_t KirchhoffPlan::n_z() const { return impl_->n_z; }
std::size_t KirchhoffPlan::n_x() const { return impl_->n_traces; }
ImageGrid KirchhoffPlan::grid() const { return image_grid(impl_->metadata, impl_->axis); }
Device KirchhoffPlan::device() const { return impl_->device; }
double KirchhoffPlan::contributions() const { return impl_->contributions; }

void KirchhoffPlan::execute(ConstBScanView in, BScanView out) const {
  const Impl& p = *impl_;
  check_views(in, p.n_samples, p.n_traces, out, p.n_z, p.n_traces, p.device == Device::cuda);
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) {
    p.device_plan->execute(in, out);
    return;
  }
#endif
  p.execute_cpu(in, out);
}

DepthImage KirchhoffPlan::execute(const BScan& in) const {
  check_same_geometry(impl_->metadata, in.metadata);
  DepthImage image(n_z(), n_x(), grid(), impl_->velocity);
  execute(in.view(), image.view());
  image.history = in.history;
  auto params = migration_history("kirchhoff", impl_->axis);
  params.add("velocities", impl_->velocity.velocities)
      .add("layer_tops", impl_->velocity.layer_tops)
      .add("max_angle", impl_->options.max_angle)
      .add("taper", impl_->options.taper)
      .add("half_derivative", impl_->options.half_derivative)
      .add("obliquity_weights", impl_->options.obliquity_weights)
      .add("oversampling", impl_->options.oversampling)
      .add("device", to_string(impl_->device));
  if (std::isfinite(impl_->options.aperture))
    params.add("aperture", impl_->options.aperture);
  else
    params.add("aperture", "all traces");
  append_history(image.history, "migrate", params);
  return image;
}

void migrate_kirchhoff(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                       const DepthAxis& depth_axis, const KirchhoffOptions& options, BScanView out, Device device) {
  validate(in, "migration input");
  KirchhoffPlan plan(metadata, in.n_samples, in.n_traces, velocity, depth_axis, options, device);
  plan.execute(in, out);
}

DepthImage migrate_kirchhoff(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                             const KirchhoffOptions& options, Device device) {
  validate(in.view(), "migration input");
  KirchhoffPlan plan(in.metadata, in.n_samples(), in.n_traces(), velocity, depth_axis, options, device);
  return plan.execute(in);
}

}  // namespace gprproc
