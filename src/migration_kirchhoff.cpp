// Kirchhoff (diffraction-summation) migration, 2-D: the plan builds a table of
// travel times and weights per (depth row, trace offset) once; execution
// filters and oversamples the traces, then sums along the tabulated curves.
// The image columns are the trace positions, so the geometry is
// shift-invariant along x and one table row serves a whole image row.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>
#include <vector>

#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"
#include "migration_common.hpp"
#include "migration_kirchhoff_cpu.hpp"
#include "parallel_errors.hpp"

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
  std::vector<float> antialias;     // (n_z, 2K+1) x {triangle half-length (oversampled samples), DC gain}; empty when off
  int antialias_pad = 0;            // zero samples each side of the doubly integrated traces
  std::size_t fft_length = 0;
  double contributions = 0.0;
  // Execution scratch (CPU buffers here, device buffers in device_plan) is
  // the plan's own: execute holds this lock, so threads sharing a plan take
  // turns (each execute still uses every OpenMP thread / the whole GPU).
  mutable std::mutex execute_mutex;
  mutable KirchhoffWorkspace workspace;  // CPU buffers, used under execute_mutex
#ifdef GPRPROC_HAS_CUDA
  std::unique_ptr<cuda_backend::KirchhoffDevicePlan> device_plan;
#endif

  std::size_t tile_traces = 0;  // image columns per tile (n_traces: untiled)

  void build_table();
  void choose_tile();
  void execute_cpu(ConstBScanView in, BScanView out) const;
};

namespace {

// The largest travel-time (and anti-alias) table a plan may build.
constexpr double kMaxTableBytes = 4.0 * 1024.0 * 1024.0 * 1024.0;

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
  if (!(o.tile_memory > 0.0)) {
    std::ostringstream msg;
    msg << "Kirchhoff tile_memory (bytes) must be > 0, got " << o.tile_memory;
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
  const int aperture_k = static_cast<int>(std::min(max_k, std::floor(options.aperture / dx + 1e-9)));
  // Each row's reach (aperture and angle limits); the table is only as wide as
  // the widest row, which is also the halo of a tile (tiled execution).
  row_half_width.assign(n_z, 0);
  half_width = 0;
  for (std::size_t row = 0; row < n_z; ++row) {
    const double z = axis.z0 + axis.dz * static_cast<double>(row);
    const double limit = std::min(options.aperture, (z + height) * tan_max);
    const int row_k = static_cast<int>(std::min(static_cast<double>(aperture_k), std::floor(limit / dx + 1e-9)));
    row_half_width[row] = row_k;
    half_width = std::max(half_width, row_k);
  }
  const int width = 2 * half_width + 1;
  // The table is sized from the depth axis and the aperture: checked before it is made.
  const double table_bytes = static_cast<double>(n_z) * width * 2.0 * sizeof(float) * (options.antialias ? 2.0 : 1.0);
  if (table_bytes > kMaxTableBytes) {
    std::ostringstream msg;
    msg << "Kirchhoff migration: the travel-time table for " << n_z << " depth rows x " << width
        << " trace offsets would take " << table_bytes / (1 << 20) << " MiB (at most " << kMaxTableBytes / (1 << 20)
        << " MiB); use a coarser depth step 'dz' (" << axis.dz << " m), a smaller 'depth' (" << axis.depth
        << " m) or a finite 'aperture'";
    throw InvalidArgument(msg.str());
  }
  table.assign(n_z * static_cast<std::size_t>(width) * 2, 0.0f);
  const double scale = static_cast<double>(options.oversampling) / metadata.dt;
  // Triangle half-lengths are capped at a quarter of the oversampled trace:
  // longer ones leave nothing of any wavelet, and the cap bounds the padding.
  const float max_length = 0.25f * static_cast<float>(n_samples * static_cast<std::size_t>(options.oversampling));
  antialias.assign(options.antialias ? table.size() : 0, 0.0f);
  const int n_os = static_cast<int>(n_samples) * options.oversampling;
  antialias_pad = 0;

  parallel::ParallelErrors errors;  // the per-row positions allocate: nothing may throw out of the loop
#pragma omp parallel for schedule(dynamic, 4)
  for (long long row = 0; row < static_cast<long long>(n_z); ++row) {
    errors.run([&] {
      const double z = axis.z0 + axis.dz * static_cast<double>(row);
      const double v = rms_velocity(velocity, z);  // for the amplitude weights
      const double limit = std::min(options.aperture, (z + height) * tan_max);
      const int row_k = row_half_width[static_cast<std::size_t>(row)];
      float* entries = table.data() + static_cast<std::size_t>(row) * width * 2;
      // Sample positions for k = -row_k - 1 .. row_k + 1: the outer two only
      // give the operator dip at the aperture's edge (anti-aliasing).
      std::vector<float> positions(static_cast<std::size_t>(2 * row_k + 3));
      for (int k = -row_k - 1; k <= row_k + 1; ++k) {
        const bool inside = k >= -row_k && k <= row_k;
        if (!inside && !options.antialias) continue;
        const double lateral = dx * k;  // trace midpoint minus image column
        const Leg tx = model_leg(velocity, lateral - half_offset, z, height);
        const Leg rx = model_leg(velocity, lateral + half_offset, z, height);
        positions[static_cast<std::size_t>(k + row_k + 1)] = static_cast<float>((tx.time + rx.time - metadata.t0) * scale);
        if (!inside) continue;
        double weight = detail::aperture_taper(lateral, std::max(limit, 0.5 * dx), options.taper);
        if (options.obliquity_weights) {
          const double cos_mean = 0.5 * (tx.cos_ground + rx.cos_ground);
          const double spreading = std::max(0.5 * (tx.spreading + rx.spreading), 0.5 * dx);
          weight *= dx * cos_mean / std::sqrt(2.0 * 3.14159265358979323846 * v * spreading);
        } else {
          weight *= dx;
        }
        const std::size_t e = static_cast<std::size_t>(k + half_width) * 2;
        entries[e] = positions[static_cast<std::size_t>(k + row_k + 1)];
        entries[e + 1] = static_cast<float>(weight);
      }
      if (options.antialias) {
        float* filters = antialias.data() + static_cast<std::size_t>(row) * width * 2;
        for (int k = -row_k; k <= row_k; ++k) {
          const std::size_t i = static_cast<std::size_t>(k + row_k + 1);
          const float length = std::min(max_length, detail::antialias_half_length(positions[i - 1], positions[i + 1]));
          const std::size_t e = static_cast<std::size_t>(k + half_width) * 2;
          filters[e] = length;
          filters[e + 1] = length > detail::antialias_min_half_length
                               ? detail::antialias_dc_gain(positions[i], length, n_os)
                               : 1.0f;
        }
      }
    });
  }
  errors.rethrow();
  if (options.antialias) {
    float longest = 0.0f;
    for (std::size_t e = 0; e < antialias.size(); e += 2) longest = std::max(longest, antialias[e]);
    antialias_pad = static_cast<int>(std::ceil(2.0f * longest)) + 2;
  }
  choose_tile();
  contributions = 0.0;
  for (std::size_t row = 0; row < n_z; ++row)
    for (int k = -row_half_width[row]; k <= row_half_width[row]; ++k)
      contributions += static_cast<double>(n_traces) - std::abs(k);
}

// Floats per trace of the internal buffers (the larger of the CPU's and the
// GPU's: rho-filter input and spectrum, oversampled trace with its borders,
// doubly integrated trace and mean), times the traces a tile reads.
void KirchhoffPlan::Impl::choose_tile() {
  if (options.tile_traces > 0) {
    tile_traces = std::min(options.tile_traces, n_traces);
    return;
  }
  const std::size_t n_os = n_samples * static_cast<std::size_t>(options.oversampling);
  std::size_t floats = (options.half_derivative ? 2 * fft_length + 2 : n_samples) + n_os + 64;
  if (options.antialias) floats += n_os + 2 * static_cast<std::size_t>(antialias_pad) + 1;
  // The CUDA experiment GPRPROC_CUDA_KIRCHHOFF_READS=global keeps a
  // sample-major copy of the oversampled traces as well (two guard samples
  // each side): cuda/migration_kirchhoff.cu.
  if (device == Device::cuda) {
    const char* reads = std::getenv("GPRPROC_CUDA_KIRCHHOFF_READS");
    if (reads != nullptr && std::strcmp(reads, "global") == 0) floats += n_os + 4;
  }
  const double budget_traces = std::floor(options.tile_memory / (4.0 * static_cast<double>(floats)));
  const double columns = budget_traces - 2.0 * static_cast<double>(half_width);
  constexpr std::size_t min_tile = 64;  // below this the halo's repeated filtering dominates
  const std::size_t tile = columns >= static_cast<double>(n_traces) ? n_traces
                           : columns < static_cast<double>(min_tile) ? min_tile
                                                                     : static_cast<std::size_t>(columns);
  tile_traces = std::min(tile, n_traces);
}

void KirchhoffPlan::Impl::execute_cpu(ConstBScanView in, BScanView out) const {
  KirchhoffTables t;
  t.n_samples = n_samples;
  t.n_traces = n_traces;
  t.n_z = n_z;
  t.oversampling = options.oversampling;
  t.half_width = half_width;
  t.table = table.data();
  t.row_half_width = row_half_width.data();
  t.antialias = options.antialias ? antialias.data() : nullptr;
  t.antialias_pad = antialias_pad;
  t.half_derivative = options.half_derivative;
  t.fft_length = fft_length;
  t.dt = metadata.dt;
  t.tile_traces = tile_traces;
  kirchhoff_execute_cpu(t, workspace, in, out);
}

KirchhoffPlan::KirchhoffPlan(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                             const VelocityModel& velocity, const DepthAxis& depth_axis,
                             const KirchhoffOptions& options, Device device)
    : impl_(std::make_unique<Impl>()) {
  check_plan_inputs("Kirchhoff migration", metadata, n_samples, velocity, depth_axis);
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
    setup.tile_traces = p.tile_traces;
    if (options.antialias) {
      setup.antialias = p.antialias;
      setup.antialias_pad = p.antialias_pad;
    }
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
std::size_t KirchhoffPlan::tile_traces() const { return impl_->tile_traces; }
std::size_t KirchhoffPlan::halo_traces() const { return static_cast<std::size_t>(impl_->half_width); }

void KirchhoffPlan::execute(ConstBScanView in, BScanView out) const {
  const Impl& p = *impl_;
  check_views(in, p.n_samples, p.n_traces, out, p.n_z, p.n_traces, p.device == Device::cuda);
  const std::lock_guard<std::mutex> lock(p.execute_mutex);  // the scratch is shared: one execute at a time
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
      .add("antialias", impl_->options.antialias)
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
