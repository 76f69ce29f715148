// Dip moveout (DMO) by the log-stretch f-k method, after the antenna-offset
// remap (normal moveout) has put every sample at its zero-offset time below
// the midpoint: each trace is resampled onto a grid uniform in
// zeta = ln(t' / t_min) (t' the time after the ground echo), the 2-D spectrum
// (zeta, trace) is multiplied by exp(i detail::dip_moveout_phase), and the
// traces are resampled back. The filter moves each dipping event to where a
// zero-offset survey records it; flat events stay. docs/MIGRATION.md,
// "Dip moveout".
//
// The operator reaches only half an offset sideways, so the traces are
// stretched, filtered and stretched back in tiles with a halo (bounded memory
// on long profiles); samples up to t_min after the ground echo keep the NMO
// result.
#include <algorithm>
#include <cmath>
#include <complex>
#include <sstream>
#include <vector>

#include "gprproc/detail/dip_moveout_math.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/velocity_model.hpp"
#include "migration_common.hpp"
#include "migration_cuda.hpp"
#include "migration_fk_cpu.hpp"

namespace gprproc::migration_detail {

using cuda_backend::DipMoveoutSetup;

namespace {
// t_min = (last sample's t') / kLogRange: the log grid spans ln(256) = 5.5
// units, so it holds about 5.5 rows per input sample when its rows are dt
// apart at the last sample (fewer for a band-limited record, below).
constexpr double kLogRange = 256.0;
// The band the log grid samples, as a multiple of the centre frequency.
constexpr double kBandOfCentre = 6.0;
// Traces filtered per tile (each with its halo).
constexpr std::size_t kTileTraces = 1024;
constexpr double kPi = 3.14159265358979323846;

// Mean square misfit (in units of span^2) between the zero-offset curves of
// `curves` and what the constant-velocity DMO with half-offset `h` makes of
// their NMO-corrected common-offset curves. The DMO output of a curve is the
// envelope of the ellipses t0 = t_n(y) sqrt(1 - (y0 - y)^2 / h^2) of its points,
// its latest time at each y0 (every ellipse peaks at its own point and lies
// earlier elsewhere).
struct Curve {
  std::vector<double> y, nmo_time;      // midpoints, NMO-corrected time (after the ground echo)
  std::vector<std::size_t> outputs;     // indices into y where the zero-offset time is compared
  std::vector<double> zero_offset_time;  // at those midpoints
};
double dmo_misfit(const std::vector<Curve>& curves, double h, double span) {
  double sum = 0.0;
  std::size_t count = 0;
  for (const Curve& c : curves) {
    for (std::size_t o = 0; o < c.outputs.size(); ++o) {
      const double y0 = c.y[c.outputs[o]];
      double predicted = -1.0;
      for (std::size_t i = 0; i < c.y.size(); ++i) {
        const double b = (y0 - c.y[i]) / h;
        if (b * b >= 1.0 || !(c.nmo_time[i] > 0.0)) continue;
        predicted = std::max(predicted, c.nmo_time[i] * std::sqrt(1.0 - b * b));
      }
      if (predicted < 0.0) continue;
      const double miss = (predicted - c.zero_offset_time[o]) / span;
      sum += miss * miss;
      ++count;
    }
  }
  return count ? sum / static_cast<double>(count) : 0.0;
}

// The half-offset the constant-velocity DMO uses. With the antenna on the
// ground over a constant velocity its kinematics are exact and it is the
// true one. Otherwise (antenna lifted: the rays cross much of the offset in
// air; or a v(z)) there is no log-stretch DMO that is exact, and the
// half-offset is fitted: diffractors at six depths down the record, their
// exact common- and zero-offset times from the model (model_leg, as the remap
// and Kirchhoff use), the common-offset times NMO-corrected through the
// remap's own table, and the h whose DMO envelope best matches the
// zero-offset curves (least squares; golden section after a coarse scan
// from h / 4 to 4 h). docs/MIGRATION.md, "Dip moveout", measures both.
double effective_half_offset(const BScanMetadata& metadata, const VelocityModel& velocity,
                             const std::vector<float>& position, double origin, double span) {
  const double h = 0.5 * metadata.antenna_offset, height = metadata.antenna_height;
  if (height == 0.0 && velocity.is_constant()) return h;
  // The remap's table: output sample s (zero-offset time tau_s) reads the
  // common-offset time t0 + position[s] dt. Inverted by bisection on the
  // samples after the ground echo, where it increases.
  const std::size_t n_samples = position.size();
  const std::size_t first = static_cast<std::size_t>(
      std::min(static_cast<double>(n_samples - 1), std::max(0.0, std::ceil((origin - metadata.t0) / metadata.dt))));
  auto nmo_time = [&](double t_co) {
    const double p = (t_co - metadata.t0) / metadata.dt;
    if (p < position[first] || p > position[n_samples - 1]) return -1.0;
    std::size_t lo = first, hi = n_samples - 1;
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      (position[mid] <= p ? lo : hi) = mid;
    }
    const double step = static_cast<double>(position[hi]) - static_cast<double>(position[lo]);
    const double f = step > 0.0 ? (p - position[lo]) / step : 0.0;
    return metadata.time_of_sample(lo) + f * metadata.dt - origin;
  };
  std::vector<Curve> curves;
  for (const double fraction : {0.05, 0.1, 0.2, 0.35, 0.5, 0.7}) {
    const double depth = depth_of_zero_offset_time(velocity, origin + fraction * span, height);
    // Outputs out to dips of about 60 degrees; inputs 4 h (the widest
    // operator tried) beyond, every output compared only where all of its
    // inputs are on the record.
    const double reach = 2.0 * depth, margin = 4.0 * h;
    constexpr int kPoints = 120;
    const double step = (reach + margin) / kPoints;
    Curve c;
    for (int i = -kPoints; i <= kPoints; ++i) {
      const double y = step * static_cast<double>(i);
      c.y.push_back(y);
      c.nmo_time.push_back(nmo_time(model_leg(velocity, y - h, depth, height).time +
                                    model_leg(velocity, y + h, depth, height).time));
    }
    for (int i = 0; step * static_cast<double>(i) <= reach; ++i) {
      const std::size_t index = static_cast<std::size_t>(i + kPoints);
      bool on_record = true;
      for (std::size_t k = 0; k < c.y.size(); ++k)
        if (std::abs(c.y[k] - c.y[index]) <= margin && !(c.nmo_time[k] > 0.0)) on_record = false;
      if (!on_record) continue;
      c.outputs.push_back(index);
      c.zero_offset_time.push_back(2.0 * model_leg(velocity, c.y[index], depth, height).time - origin);
    }
    curves.push_back(std::move(c));
  }
  double best = h, best_misfit = dmo_misfit(curves, h, span);
  constexpr int kScan = 33;
  for (int i = 0; i < kScan; ++i) {
    const double candidate = h * std::pow(16.0, static_cast<double>(i) / (kScan - 1)) / 4.0;
    const double misfit = dmo_misfit(curves, candidate, span);
    if (misfit < best_misfit) {
      best_misfit = misfit;
      best = candidate;
    }
  }
  const double ratio = std::pow(16.0, 1.0 / (kScan - 1));
  double a = best / ratio, b = best * ratio;
  const double golden = 0.5 * (std::sqrt(5.0) - 1.0);
  for (int i = 0; i < 40; ++i) {
    const double c = b - golden * (b - a), d = a + golden * (b - a);
    if (dmo_misfit(curves, c, span) < dmo_misfit(curves, d, span)) b = d;
    else a = c;
  }
  return 0.5 * (a + b);
}

}  // namespace

std::size_t next_fast_fft_length(std::size_t n) {
  for (std::size_t m = std::max<std::size_t>(n, 1);; ++m) {
    std::size_t r = m;
    for (const std::size_t p : {2, 3, 5, 7})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
}

DipMoveoutSetup dip_moveout_setup(const BScanMetadata& metadata, const VelocityModel& velocity,
                                  const std::vector<float>& offset_position, std::size_t n_traces) {
  const std::size_t n_samples = offset_position.size();
  DipMoveoutSetup s;
  s.n_samples = n_samples;
  s.n_traces = n_traces;
  if (metadata.antenna_offset == 0.0 || n_samples < 2 || n_traces == 0) return s;
  const double origin = 2.0 * metadata.antenna_height / speed_of_light;  // the ground echo's time
  const double span = metadata.t0 + metadata.dt * static_cast<double>(n_samples - 1) - origin;
  if (!(span > 2.0 * metadata.dt)) return s;  // nothing recorded below the ground
  const double t_min = span / kLogRange;
  // Rows 1 / (2 f_max) apart at the last sample (finer before): f_max the
  // Nyquist frequency, or 6x the antenna's centre frequency when the metadata
  // give it (a Ricker's spectrum is 1e-14 of its peak there; 6x rather than
  // 4x leaves the windowed sinc 3 rows per period of 2 f_c, where it is
  // accurate): with GPR's usual oversampling several times fewer rows.
  const double nyquist = 0.5 / metadata.dt;
  const double band = metadata.center_frequency > 0.0 ? std::min(nyquist, kBandOfCentre * metadata.center_frequency)
                                                      : nyquist;
  s.log_step = 1.0 / (2.0 * band * span);
  // A few rows past the last sample too, so that reading the last samples
  // back has the sinc's full support.
  s.n_log = static_cast<std::size_t>(std::floor(std::log(kLogRange) / s.log_step)) + 1 + detail::sinc_half_width + 2;
  // Zero rows after the log grid, a quarter of it: the filter moves energy to
  // earlier zeta only, and what would wrap lands in the padding (discarded).
  s.n_log_fft = next_fast_fft_length(s.n_log + s.n_log / 4 + 16);
  s.half_offset = effective_half_offset(metadata, velocity, offset_position, origin, span);
  // A B-scan narrower than the operator (an A-scan, a few traces) has no dip
  // to correct, and DMO would only spread its traces into the padding (a
  // single trace lost 75% of its peak): NMO alone there.
  const std::size_t reach = static_cast<std::size_t>(std::ceil(s.half_offset / metadata.dx));
  if (n_traces < 2 * reach + 1) {
    s.n_log = 0;
    return s;
  }
  s.dx = metadata.dx;
  s.halo_traces = 4 * reach + 48;  // the filter's tail reaches past h: measured, docs/MIGRATION.md
  s.tile_traces = std::min(n_traces, kTileTraces);
  // A tile with its halo, plus a halo of zeros so nothing wraps from one end
  // onto the other.
  s.nx_fft = next_fast_fft_length(std::min(n_traces, s.tile_traces + 2 * s.halo_traces) + s.halo_traces);
  const double cells = static_cast<double>(s.n_log_fft) * static_cast<double>(s.nx_fft);
  if (cells > 1.5e9) {
    std::ostringstream msg;
    msg << "dip moveout would need FFTs of " << s.n_log_fft << " x " << s.nx_fft
        << " points: too large; the antenna offset (" << metadata.antenna_offset << " m) spans "
        << 2 * s.halo_traces << " traces of dx " << metadata.dx << " m";
    throw InvalidArgument(msg.str());
  }
  s.stretch_position.resize(s.n_log);
  for (std::size_t i = 0; i < s.n_log; ++i)
    s.stretch_position[i] = static_cast<float>(
        (origin + t_min * std::exp(static_cast<double>(i) * s.log_step) - metadata.t0) / metadata.dt);
  // The first sample later than t_min after the ground echo.
  const double first = std::floor((origin + t_min - metadata.t0) / metadata.dt) + 1.0;
  s.first_sample = static_cast<std::size_t>(std::min(std::max(first, 0.0), static_cast<double>(n_samples)));
  s.unstretch_position.resize(n_samples - s.first_sample);
  for (std::size_t i = s.first_sample; i < n_samples; ++i)
    s.unstretch_position[i - s.first_sample] =
        static_cast<float>(std::log((metadata.time_of_sample(i) - origin) / t_min) / s.log_step);
  return s;
}

namespace {
// Columns [a0, a1) of the row-major (rows, stride) `from` into the compact
// (rows, a1 - a0) `to`, or back (scatter).
void gather_columns(const float* from, std::size_t rows, std::size_t stride, std::size_t a0, std::size_t a1,
                    float* to) {
  for (std::size_t i = 0; i < rows; ++i) std::copy(from + i * stride + a0, from + i * stride + a1, to + i * (a1 - a0));
}
void scatter_columns(const float* from, std::size_t rows, std::size_t stride, std::size_t a0, std::size_t a1,
                     float* to) {
  for (std::size_t i = 0; i < rows; ++i)
    std::copy(from + i * (a1 - a0), from + (i + 1) * (a1 - a0), to + i * stride + a0);
}
}  // namespace

void dip_moveout(const DipMoveoutSetup& s, ConstBScanView in, BScanView out) {
  using cfloat = std::complex<float>;
  const std::size_t n = s.n_traces, ns = s.n_samples, nl = s.n_log, nk = s.n_log_fft / 2 + 1, nx = s.nx_fft;
  const std::size_t late = ns - s.first_sample;
  std::copy(in.samples, in.samples + s.first_sample * n, out.samples);
  // The filter's rotation (cos, sin of the phase) is the same for every tile:
  // made once per call (a logarithm, a square root and a sine and cosine per
  // point), then applied to each tile.
  std::vector<float> cosine(nx * nk), sine(nx * nk);
#pragma omp parallel for schedule(static)
  for (long long aa = 0; aa < static_cast<long long>(nx); ++aa) {
    const std::size_t a = static_cast<std::size_t>(aa);
    const double signed_a = a < nx / 2 + 1 ? static_cast<double>(a) : static_cast<double>(a) - static_cast<double>(nx);
    const float k_half_offset = static_cast<float>(2.0 * kPi * signed_a / (static_cast<double>(nx) * s.dx) * s.half_offset);
    for (std::size_t m = 1; m < nk; ++m) {
      const float omega = static_cast<float>(2.0 * kPi * static_cast<double>(m) /
                                             (static_cast<double>(s.n_log_fft) * s.log_step));
      const float phase = detail::dip_moveout_phase(omega, k_half_offset);
      cosine[a * nk + m] = std::cos(phase);
      sine[a * nk + m] = std::sin(phase);
    }
  }
  // Per tile (so memory stays bounded on long profiles): its traces and halo
  // stretched to log time, filtered, and its own traces stretched back.
  std::vector<float> traces, stretched;
  for (std::size_t j0 = 0; j0 < n; j0 += s.tile_traces) {
    const std::size_t j1 = std::min(n, j0 + s.tile_traces);
    const std::size_t a0 = j0 >= s.halo_traces ? j0 - s.halo_traces : 0, a1 = std::min(n, j1 + s.halo_traces);
    const std::size_t width = a1 - a0, kept = j1 - j0;
    traces.resize(ns * width);
    gather_columns(in.samples, ns, n, a0, a1, traces.data());
    stretched.resize(nl * width);
    resample_rows(ConstBScanView{traces.data(), ns, width, Memory::host}, s.stretch_position,
                  BScanView{stretched.data(), nl, width, Memory::host}, Device::cpu);
    std::vector<cfloat> spectrum =
        fk_spectrum(ConstBScanView{stretched.data(), nl, width, Memory::host}, s.n_log_fft, nx, 0);  // [k][omega]
#pragma omp parallel for schedule(static)
    for (long long aa = 0; aa < static_cast<long long>(nx); ++aa) {
      const std::size_t a = static_cast<std::size_t>(aa);
      if (a == 0) continue;  // k = 0: flat events stay
      for (std::size_t m = 1; m < nk; ++m) {
        if (2 * m == s.n_log_fft) continue;  // Nyquist: left alone, as on the device
        const float c = cosine[a * nk + m], sn = sine[a * nk + m];
        cfloat& v = spectrum[a * nk + m];
        v = cfloat(v.real() * c - v.imag() * sn, v.real() * sn + v.imag() * c);
      }
    }
    // The tile's own traces back in log time (compact, kept columns wide) ...
    fk_inverse(spectrum.data(), s.n_log_fft, nx, j0 - a0, kept, nl, stretched.data(), kept);
    // ... then in time, into the output's columns.
    resample_rows(ConstBScanView{stretched.data(), nl, kept, Memory::host}, s.unstretch_position,
                  BScanView{traces.data(), late, kept, Memory::host}, Device::cpu);
    scatter_columns(traces.data(), late, n, j0, j1, out.samples + s.first_sample * n);
  }
}

}  // namespace gprproc::migration_detail
