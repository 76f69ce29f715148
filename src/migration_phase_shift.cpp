// Phase-shift migration (Gazdag 1978) for a layered v(z): the zero-offset
// B-scan's 2-D spectrum D(kx, w) is continued down through each layer by
// exp(i kz dz), kz = sqrt((w / u)^2 - kx^2) with the layer's half velocity
// u = v / 2, and imaged at t = 0 by summing over w. Waves evanescent in any
// layer crossed so far are dropped. An antenna height is removed first by the
// same continuation through air (as Stolt). The sum over negative w is the
// complex conjugate of the positive one at -kx, so only w > 0 is summed and
// the image is 2 Re of the inverse x transform.
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

namespace gprproc {

using namespace migration_detail;
using cfloat = std::complex<float>;

namespace {

struct Segment {
  std::size_t layer;
  double thickness;
};

// The layer pieces between depths a < b.
std::vector<Segment> segments_between(const VelocityModel& model, double a, double b) {
  std::vector<Segment> out;
  for (std::size_t i = 0; i < model.velocities.size(); ++i) {
    const double top = std::max(model.layer_tops[i], a);
    const double bottom = std::min(i + 1 < model.layer_tops.size() ? model.layer_tops[i + 1] : b, b);
    if (bottom > top) out.push_back({i, bottom - top});
  }
  return out;
}

}  // namespace

void migrate_phase_shift(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                         const DepthAxis& depth_axis, const PhaseShiftOptions& options, BScanView out, Device device) {
  validate(metadata);
  velocity.validate();
  depth_axis.validate();
  if (!std::isfinite(options.time_padding) || options.time_padding < 1.0 || options.time_padding > 16.0 ||
      !std::isfinite(options.trace_padding) || options.trace_padding < 1.0 || options.trace_padding > 16.0) {
    std::ostringstream msg;
    msg << "phase-shift time_padding and trace_padding must be in [1, 16], got " << options.time_padding << " and "
        << options.trace_padding;
    throw InvalidArgument(msg.str());
  }
  if (device == Device::cuda) {
    resolve_device(device);  // a clear CudaError first where CUDA cannot be had at all
    throw Error(ErrorCode::not_implemented,
                "phase-shift migration has no CUDA backend yet: use Device::cpu (or Stolt on the GPU for a constant "
                "velocity)");
  }
  validate(in, "migration input");
  const std::size_t n_samples = in.n_samples, n_traces = in.n_traces, n_z = depth_axis.n_z();
  check_views(in, n_samples, n_traces, out, n_z, n_traces, false);

  const std::size_t nt = next_power_of_two(static_cast<std::size_t>(std::ceil(options.time_padding * n_samples)));
  const std::size_t nx = next_power_of_two(static_cast<std::size_t>(std::ceil(options.trace_padding * n_traces)));
  const std::size_t nk = nt / 2 + 1;
  const double two_pi = 2.0 * 3.14159265358979323846;
  std::vector<cfloat> spectrum(nx * nk, cfloat(0.0f, 0.0f));  // [kx][w]
#pragma omp parallel
  {
    std::vector<float> buffer(nt);
    cpu::RealFft fft(nt);
#pragma omp for schedule(static)
    for (long long jj = 0; jj < static_cast<long long>(n_traces); ++jj) {
      const std::size_t j = static_cast<std::size_t>(jj);
      std::fill(buffer.begin(), buffer.end(), 0.0f);
      for (std::size_t n = 0; n < n_samples; ++n) buffer[n] = in.samples[n * n_traces + j];
      fft.forward(buffer.data(), spectrum.data() + j * nk);
    }
  }
#pragma omp parallel
  {
    std::vector<cfloat> column(nx);
    cpu::ComplexFft fft(nx);
#pragma omp for schedule(static)
    for (long long kk = 0; kk < static_cast<long long>(nk); ++kk) {
      const std::size_t k = static_cast<std::size_t>(kk);
      for (std::size_t a = 0; a < nx; ++a) column[a] = spectrum[a * nk + k];
      fft.forward(column.data(), column.data());
      for (std::size_t a = 0; a < nx; ++a) spectrum[a * nk + k] = column[a];
    }
  }

  // Depth pieces: surface -> row 0, then row to row.
  std::vector<std::vector<Segment>> steps(n_z);
  for (std::size_t i = 0; i < n_z; ++i) {
    const double from = i == 0 ? 0.0 : depth_axis.z0 + depth_axis.dz * static_cast<double>(i - 1);
    steps[i] = segments_between(velocity, from, depth_axis.z0 + depth_axis.dz * static_cast<double>(i));
  }
  const std::size_t n_layers = velocity.velocities.size();
  std::vector<cfloat> rows(n_z * nx);  // [z][kx]
#pragma omp parallel
  {
    std::vector<double> phase(nk), kz(nk * n_layers);
    std::vector<cfloat> data(nk);
#pragma omp for schedule(dynamic, 4)
    for (long long aa = 0; aa < static_cast<long long>(nx); ++aa) {
      const std::size_t a = static_cast<std::size_t>(aa);
      const long long signed_a = a < nx / 2 ? static_cast<long long>(a) : static_cast<long long>(a) - static_cast<long long>(nx);
      const double kx = two_pi * static_cast<double>(signed_a) / (static_cast<double>(nx) * metadata.dx);
      for (std::size_t k = 0; k < nk; ++k) {
        const double omega = two_pi * static_cast<double>(k) / (static_cast<double>(nt) * metadata.dt);
        // Sample 0 is at t0; continue through the air first.
        const double datum = detail::air_datum_phase(omega, kx, metadata.antenna_height);
        const bool usable = k > 0 && 2 * k < nt && datum >= 0.0;
        const double p0 = -omega * metadata.t0 + datum;
        data[k] = usable ? spectrum[a * nk + k] * cfloat(static_cast<float>(std::cos(p0)), static_cast<float>(std::sin(p0)))
                         : cfloat(0.0f, 0.0f);
        phase[k] = 0.0;
        for (std::size_t l = 0; l < n_layers; ++l) {
          const double kk = omega / (0.5 * velocity.velocities[l]);
          const double kz2 = kk * kk - kx * kx;
          kz[k * n_layers + l] = kz2 > 0.0 ? std::sqrt(kz2) : -1.0;  // -1: evanescent in layer l
        }
      }
      for (std::size_t i = 0; i < n_z; ++i) {
        std::complex<double> sum(0.0, 0.0);
        for (std::size_t k = 1; k < nk; ++k) {
          if (data[k] == cfloat(0.0f, 0.0f)) continue;
          for (const auto& seg : steps[i]) {
            const double kzl = kz[k * n_layers + seg.layer];
            if (kzl < 0.0) {
              data[k] = cfloat(0.0f, 0.0f);
              break;
            }
            phase[k] += kzl * seg.thickness;
          }
          if (data[k] == cfloat(0.0f, 0.0f)) continue;
          sum += std::complex<double>(data[k]) * std::complex<double>(std::cos(phase[k]), std::sin(phase[k]));
        }
        rows[i * nx + a] = cfloat(sum);
      }
    }
  }
  // image = (2 / nt) Re( inverse x transform ).
  const float scale = 2.0f / static_cast<float>(nt);
#pragma omp parallel
  {
    std::vector<cfloat> column(nx);
    cpu::ComplexFft fft(nx);
#pragma omp for schedule(static)
    for (long long ii = 0; ii < static_cast<long long>(n_z); ++ii) {
      const std::size_t i = static_cast<std::size_t>(ii);
      fft.inverse(rows.data() + i * nx, column.data());
      for (std::size_t j = 0; j < n_traces; ++j) out.samples[i * n_traces + j] = scale * column[j].real();
    }
  }
}

DepthImage migrate_phase_shift(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                               const PhaseShiftOptions& options, Device device) {
  validate(in.view(), "migration input");
  depth_axis.validate();
  DepthImage image(depth_axis.n_z(), in.n_traces(), image_grid(in.metadata, depth_axis), velocity);
  migrate_phase_shift(in.view(), in.metadata, velocity, depth_axis, options, image.view(), device);
  image.history = in.history;
  auto params = migration_history("phase_shift", depth_axis);
  params.add("velocities", velocity.velocities)
      .add("layer_tops", velocity.layer_tops)
      .add("time_padding", options.time_padding)
      .add("trace_padding", options.trace_padding)
      .add("device", "cpu");
  append_history(image.history, "migrate", params);
  return image;
}

}  // namespace gprproc
