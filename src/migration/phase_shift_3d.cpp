// 3-D phase-shift migration (Gazdag 1978) for a layered v(z): the zero-offset
// cube's 3-D spectrum D(ky, kx, w) is continued down to each image row by
// exp(i sum_l kz_l h_l), kz_l = sqrt((w / u_l)^2 - kx^2 - ky^2), u_l = v_l / 2,
// and imaged at t = 0 by summing over w; the continuation depends on kx and
// ky only through kh^2 = kx^2 + ky^2, so the 2-D per-component code
// (detail::phase_shift_group, which the CUDA kernel runs; the CPU's
// image_column is its vectorised twin) serves with kh in place of kx. An
// antenna height is removed by the same continuation through air; a
// common-offset cube is remapped to zero offset line by line first (the 2-D
// NMO + DMO, along x, the offset's direction). Only w > 0 is summed: the
// image is 2 Re of the inverse (ky, kx) transform.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <mutex>
#include <sstream>
#include <vector>

#include "fft_cpu.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/detail/phase_shift_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/migration_3d.hpp"
#include "migration/migration_3d_common.hpp"
#include "migration/migration_3d_cuda.hpp"
#include "migration_common.hpp"
#include "migration_fk_cpu.hpp"
#include "row_kernels.hpp"  // GPRPROC_ROW_KERNEL

namespace gprproc {

using namespace migration_detail;
using cfloat = std::complex<float>;

namespace {

std::size_t padded_length(double factor, std::size_t n) {
  return next_fast_fft_length(static_cast<std::size_t>(std::ceil(factor * static_cast<double>(n))));
}

cuda_backend::PhaseShift3DSetup make_setup(const CubeMetadata& metadata, std::size_t n_lines, std::size_t n_samples,
                                           std::size_t n_traces, const VelocityModel& velocity, const DepthAxis& axis,
                                           const PhaseShift3DOptions& options) {
  const BScanMetadata& m = metadata.line;
  cuda_backend::PhaseShift3DSetup s;
  s.n_lines = n_lines;
  s.n_samples = n_samples;
  s.n_traces = n_traces;
  s.n_z = axis.n_z();
  s.nt = padded_length(options.time_padding, n_samples);
  if (s.nt % 2) s.nt = next_fast_fft_length(s.nt + 1);  // even: the real FFT's Nyquist bin is dropped like DC
  s.nx = padded_length(options.trace_padding, n_traces);
  s.ny = padded_length(options.line_padding, n_lines);
  s.dt = m.dt;
  s.dx = m.dx;
  s.dy = metadata.dy;
  s.t0 = m.t0;
  s.antenna_height = m.antenna_height;
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
  const double cells = static_cast<double>(s.nt / 2 + 1) * static_cast<double>(s.nx) * static_cast<double>(s.ny);
  if (cells > 2.0e9) {
    std::ostringstream msg;
    msg << "3-D phase-shift migration would need a " << s.ny << " x " << s.nx << " x " << s.nt
        << " (lines x traces x time) FFT: too large; lower the paddings or migrate the cube in parts";
    throw InvalidArgument(msg.str());
  }
  if (options.correct_offset && m.antenna_offset != 0.0) {
    s.offset_position = offset_positions(m, velocity, n_samples);
    if (options.dip_moveout) s.dip_moveout = dip_moveout_setup(m, velocity, s.offset_position, n_traces);
  }
  return s;
}

void check_padding(const char* name, double value) {
  if (!std::isfinite(value) || value < 1.0 || value > 16.0) {
    std::ostringstream msg;
    msg << "3-D phase-shift " << name << " must be in [1, 16], got " << value;
    throw InvalidArgument(msg.str());
  }
}

double signed_wavenumber(std::size_t index, std::size_t n, double spacing) {
  const double two_pi = 2.0 * 3.14159265358979323846;
  const long long signed_index =
      2 * index < n ? static_cast<long long>(index) : static_cast<long long>(index) - static_cast<long long>(n);
  return two_pi * static_cast<double>(signed_index) / (static_cast<double>(n) * spacing);
}

// Per-thread buffers of image_column.
struct ColumnScratch {
  std::vector<double> kz;          // (n_layers, n_k): kz of each layer and frequency, -1 where evanescent
  std::vector<double> re, im;      // (n_k): each frequency's term at the current row
  std::vector<double> c, s;        // (n_k): its rotation from one row to the next
  std::vector<double> grown, last; // (n_layers): the layers' growth from the row above
};

// Rotates every frequency's term by its (c, s) and returns the sums of the
// terms: four lanes of partial sums (GCC/Clang vector extensions), so the
// loop runs in SIMD registers.
#if defined(__GNUC__)
typedef double Double4 __attribute__((vector_size(32)));
GPRPROC_ROW_KERNEL void rotate_and_sum(double* __restrict re, double* __restrict im, const double* __restrict c,
                                       const double* __restrict s, std::size_t n, double* sum_re, double* sum_im) {
  Double4 acc_re = {0.0, 0.0, 0.0, 0.0}, acc_im = {0.0, 0.0, 0.0, 0.0};
  std::size_t k = 0;
  for (; k + 4 <= n; k += 4) {
    Double4 a, b, cc, ss;
    std::memcpy(&a, re + k, sizeof a);
    std::memcpy(&b, im + k, sizeof b);
    std::memcpy(&cc, c + k, sizeof cc);
    std::memcpy(&ss, s + k, sizeof ss);
    const Double4 r = a * cc - b * ss, i = a * ss + b * cc;
    std::memcpy(re + k, &r, sizeof r);
    std::memcpy(im + k, &i, sizeof i);
    acc_re += r;
    acc_im += i;
  }
  double tail_re = 0.0, tail_im = 0.0;
  for (; k < n; ++k) {
    const double r = re[k] * c[k] - im[k] * s[k];
    const double i = re[k] * s[k] + im[k] * c[k];
    re[k] = r;
    im[k] = i;
    tail_re += r;
    tail_im += i;
  }
  *sum_re = ((acc_re[0] + acc_re[1]) + (acc_re[2] + acc_re[3])) + tail_re;
  *sum_im = ((acc_im[0] + acc_im[1]) + (acc_im[2] + acc_im[3])) + tail_im;
}
#else
void rotate_and_sum(double* re, double* im, const double* c, const double* s, std::size_t n, double* sum_re,
                    double* sum_im) {
  double a = 0.0, b = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double r = re[k] * c[k] - im[k] * s[k];
    const double i = re[k] * s[k] + im[k] * c[k];
    re[k] = r;
    im[k] = i;
    a += r;
    b += i;
  }
  *sum_re = a;
  *sum_im = b;
}
#endif

// The image rows of one (kx, ky) column: detail::phase_shift_group's sums
// (every positive frequency continued through the air, then down the rows,
// dropped where evanescent in a layer crossed), with the loops turned round
// for the CPU: rows outer, all frequencies of a row at once (vectorised),
// each frequency's term rotated from the row above by a rotation that is
// made again only where the layers' growth from row to row changes (at
// layer boundaries). Equal to phase_shift_group up to the order of the sums.
void image_column(const cuda_backend::PhaseShift3DSetup& s, const cfloat* spectrum, double kh, ColumnScratch& w,
                  double* sum_re, double* sum_im) {
  const double two_pi = 2.0 * 3.14159265358979323846;
  const std::size_t n_k = (s.nt - 1) / 2;  // frequencies k = 1 .. n_k (2k < nt)
  const std::size_t n_layers = static_cast<std::size_t>(s.n_layers);
  w.kz.resize(n_layers * n_k);
  w.re.resize(n_k);
  w.im.resize(n_k);
  w.c.resize(n_k);
  w.s.resize(n_k);
  w.grown.assign(n_layers, 0.0);
  w.last.assign(n_layers, -1.0);
  const double kh2 = kh * kh;
  for (std::size_t l = 0; l < n_layers; ++l)
    for (std::size_t q = 0; q < n_k; ++q) {
      const double omega = two_pi * static_cast<double>(q + 1) / (static_cast<double>(s.nt) * s.dt);
      const double k = omega / s.half_velocity[l];
      const double kz2 = k * k - kh2;
      w.kz[l * n_k + q] = kz2 > 0.0 ? std::sqrt(kz2) : -1.0;
    }
  // Row 0: the term of every frequency, continued through the air and the
  // layers above the row; zero where evanescent on the way.
  for (std::size_t q = 0; q < n_k; ++q) {
    const double omega = two_pi * static_cast<double>(q + 1) / (static_cast<double>(s.nt) * s.dt);
    const double datum = detail::air_datum_phase(omega, kh, s.antenna_height);
    double phase = -omega * s.t0 + datum;
    bool alive = datum >= 0.0;
    for (std::size_t l = 0; l < n_layers && alive; ++l) {
      const double h = s.thickness[l];
      if (h <= 0.0) continue;
      const double kz = w.kz[l * n_k + q];
      if (kz < 0.0) alive = false;
      else phase += kz * h;
    }
    const cfloat d = spectrum[q + 1];
    if (!alive) {
      w.re[q] = w.im[q] = 0.0;
      continue;
    }
    const double c = std::cos(phase), sn = std::sin(phase);
    w.re[q] = d.real() * c - d.imag() * sn;
    w.im[q] = d.real() * sn + d.imag() * c;
  }
  double a_re[4] = {0.0, 0.0, 0.0, 0.0}, a_im[4] = {0.0, 0.0, 0.0, 0.0};
  for (std::size_t q = 0; q < n_k; ++q) {
    a_re[q % 4] += w.re[q];
    a_im[q % 4] += w.im[q];
  }
  sum_re[0] += (a_re[0] + a_re[1]) + (a_re[2] + a_re[3]);
  sum_im[0] += (a_im[0] + a_im[1]) + (a_im[2] + a_im[3]);
  for (std::size_t r = 1; r < s.n_z; ++r) {
    const double* h = s.thickness.data() + r * n_layers;
    bool changed = false;
    for (std::size_t l = 0; l < n_layers; ++l) {
      w.grown[l] = h[l] - h[l - n_layers];
      changed = changed || !(std::abs(w.grown[l] - w.last[l]) <= 1e-12 * std::abs(w.grown[l]));
    }
    if (changed) {
      // The rotation from the row above; a frequency evanescent in a layer
      // that grows here is dropped from this row on (rotated to zero).
      for (std::size_t q = 0; q < n_k; ++q) {
        double delta = 0.0;
        bool alive = true;
        for (std::size_t l = 0; l < n_layers; ++l) {
          if (w.grown[l] == 0.0) continue;
          const double kz = w.kz[l * n_k + q];
          if (kz < 0.0) alive = false;
          else delta += kz * w.grown[l];
        }
        w.c[q] = alive ? std::cos(delta) : 0.0;
        w.s[q] = alive ? std::sin(delta) : 0.0;
      }
      w.last = w.grown;
    }
    double row_re = 0.0, row_im = 0.0;
    rotate_and_sum(w.re.data(), w.im.data(), w.c.data(), w.s.data(), n_k, &row_re, &row_im);
    sum_re[r] += row_re;
    sum_im[r] += row_im;
  }
}

// `in`: the zero-offset cube (host); `out`: (n_lines, n_z, n_traces).
void phase_shift_3d_cpu(const cuda_backend::PhaseShift3DSetup& s, ConstBScanStackView in, BScanStackView out) {
  const std::size_t nt = s.nt, nx = s.nx, ny = s.ny, nk = nt / 2 + 1;
  const std::size_t plane = nx * nk;  // one line's [kx][w] spectrum
  // 1. Each line's 2-D spectrum (time, then x), into plane j of [y][kx][w];
  //    the padding lines stay zero. 2. The FFT along y of every (kx, w).
  std::vector<cfloat> spectrum(ny * plane, cfloat(0.0f, 0.0f));
  for (std::size_t j = 0; j < s.n_lines; ++j) {
    const std::vector<cfloat> line = fk_spectrum(in.bscan(j), nt, nx, 0);
    std::memcpy(spectrum.data() + j * plane, line.data(), plane * sizeof(cfloat));
  }
  fft_columns(spectrum.data(), ny, plane, true);
  // 3. Per (ky, kx): continue every frequency down the column and sum over
  //    the frequencies, with kh = |(kx, ky)|.
  std::vector<cfloat> rows(s.n_z * ny * nx);  // [z][ky][kx]
  const std::size_t n_columns = ny * nx;
#pragma omp parallel
  {
    std::vector<double> sum_re(s.n_z), sum_im(s.n_z);
    ColumnScratch scratch;
#pragma omp for schedule(dynamic, 16)
    for (long long cc = 0; cc < static_cast<long long>(n_columns); ++cc) {
      const std::size_t c = static_cast<std::size_t>(cc), b = c / nx, a = c % nx;
      const double kx = signed_wavenumber(a, nx, s.dx), ky = signed_wavenumber(b, ny, s.dy);
      const double kh = std::sqrt(kx * kx + ky * ky);
      std::fill(sum_re.begin(), sum_re.end(), 0.0);
      std::fill(sum_im.begin(), sum_im.end(), 0.0);
      image_column(s, spectrum.data() + c * nk, kh, scratch, sum_re.data(), sum_im.data());
      for (std::size_t i = 0; i < s.n_z; ++i)
        rows[i * n_columns + c] = cfloat(static_cast<float>(sum_re[i]), static_cast<float>(sum_im[i]));
    }
  }
  spectrum = std::vector<cfloat>();  // the image planes are all that is left to transform
  // 4. image = (2 / nt) Re( inverse (ky, kx) transform ), per depth row: the
  //    inverse along x of every ky row, then along y of the columns kept.
  const float scale = 2.0f / static_cast<float>(nt);
#pragma omp parallel
  {
    cpu::ComplexFft fft_x(nx), fft_y(ny);
    std::vector<cfloat> column(ny);
#pragma omp for schedule(static)
    for (long long ii = 0; ii < static_cast<long long>(s.n_z); ++ii) {
      const std::size_t i = static_cast<std::size_t>(ii);
      cfloat* p = rows.data() + i * n_columns;
      for (std::size_t b = 0; b < ny; ++b) fft_x.inverse(p + b * nx, p + b * nx);
      for (std::size_t a = 0; a < s.n_traces; ++a) {
        for (std::size_t b = 0; b < ny; ++b) column[b] = p[b * nx + a];
        fft_y.inverse(column.data(), column.data());
        for (std::size_t j = 0; j < s.n_lines; ++j)
          out.samples[(j * s.n_z + i) * s.n_traces + a] = scale * column[j].real();
      }
    }
  }
}

}  // namespace

struct PhaseShift3DPlan::Impl {
  CubeMetadata metadata;
  DepthAxis axis;
  VelocityModel velocity;
  PhaseShift3DOptions options;
  Device device = Device::cpu;
  cuda_backend::PhaseShift3DSetup s;
  mutable std::mutex mutex;  // execute() is serialised (the remap buffers are the plan's)
  mutable std::vector<float> remapped, line_scratch, line_moved;
#ifdef GPRPROC_HAS_CUDA
  std::unique_ptr<cuda_backend::PhaseShift3DDevicePlan> device_plan;
#endif
};

PhaseShift3DPlan::PhaseShift3DPlan(const CubeMetadata& metadata, std::size_t n_lines, std::size_t n_samples,
                                   std::size_t n_traces, const VelocityModel& velocity, const DepthAxis& depth_axis,
                                   const PhaseShift3DOptions& options, Device device)
    : impl_(std::make_unique<Impl>()) {
  validate(metadata);
  velocity.validate();
  depth_axis.validate();
  migration_detail::check_plan_inputs("3-D phase-shift migration", metadata.line, n_samples, velocity, depth_axis);
  check_padding("time_padding", options.time_padding);
  check_padding("trace_padding", options.trace_padding);
  check_padding("line_padding", options.line_padding);
  check_cube_shape("3-D phase-shift migration", n_lines, n_samples, n_traces);
  Impl& p = *impl_;
  p.metadata = metadata;
  p.axis = depth_axis;
  p.velocity = velocity;
  p.options = options;
  p.device = resolve_device(device);
  p.s = make_setup(metadata, n_lines, n_samples, n_traces, velocity, depth_axis, options);
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) p.device_plan = std::make_unique<cuda_backend::PhaseShift3DDevicePlan>(p.s);
#endif
}

PhaseShift3DPlan::~PhaseShift3DPlan() = default;
PhaseShift3DPlan::PhaseShift3DPlan(PhaseShift3DPlan&&) noexcept = default;
PhaseShift3DPlan& PhaseShift3DPlan::operator=(PhaseShift3DPlan&&) noexcept = default;

std::size_t PhaseShift3DPlan::n_lines() const { return impl_->s.n_lines; }
std::size_t PhaseShift3DPlan::n_z() const { return impl_->s.n_z; }
std::size_t PhaseShift3DPlan::n_x() const { return impl_->s.n_traces; }
ImageGrid3D PhaseShift3DPlan::grid() const { return image_grid_3d(impl_->metadata, impl_->axis); }
Device PhaseShift3DPlan::device() const { return impl_->device; }
std::size_t PhaseShift3DPlan::fft_time() const { return impl_->s.nt; }
std::size_t PhaseShift3DPlan::fft_traces() const { return impl_->s.nx; }
std::size_t PhaseShift3DPlan::fft_lines() const { return impl_->s.ny; }
double PhaseShift3DPlan::work_bytes() const {
  const auto& s = impl_->s;
  const double complex_bytes = 8.0;
  double bytes = complex_bytes * static_cast<double>(s.ny * s.nx) * static_cast<double>(s.nt / 2 + 1) +
                 complex_bytes * static_cast<double>(s.n_z * s.ny * s.nx);
  if (!s.offset_position.empty()) bytes += 4.0 * static_cast<double>(s.n_lines * s.n_samples * s.n_traces);
  return bytes;
}

void PhaseShift3DPlan::execute(ConstBScanStackView in, BScanStackView out) const {
  const Impl& p = *impl_;
  const auto& s = p.s;
  check_cube_views("3-D phase-shift migration", in, s.n_lines, s.n_samples, s.n_traces, out, s.n_z,
                   p.device == Device::cuda);
  std::lock_guard<std::mutex> lock(p.mutex);
#ifdef GPRPROC_HAS_CUDA
  if (p.device == Device::cuda) {
    p.device_plan->execute(in, out);
    return;
  }
#endif
  // Common offset -> zero offset, line by line (the 2-D remap: NMO, then DMO along x).
  in = remap_cube_to_zero_offset(in, s.offset_position, s.dip_moveout, p.remapped, p.line_scratch, p.line_moved);
  phase_shift_3d_cpu(s, in, out);
}

DepthImage3D PhaseShift3DPlan::execute(const Cube& in) const {
  const Impl& p = *impl_;
  check_same_cube_geometry(p.metadata, in.metadata);
  DepthImage3D image(n_lines(), n_z(), n_x(), grid(), p.velocity);
  execute(in.view(), image.view());
  image.history = in.history;
  auto params = migration_history("phase_shift_3d", p.axis);
  params.add("velocities", p.velocity.velocities)
      .add("layer_tops", p.velocity.layer_tops)
      .add("time_padding", p.options.time_padding)
      .add("trace_padding", p.options.trace_padding)
      .add("line_padding", p.options.line_padding)
      .add("correct_offset", p.options.correct_offset)
      .add("dip_moveout", p.options.dip_moveout)
      .add("device", to_string(p.device));
  append_history(image.history, "migrate", params);
  return image;
}

void migrate_phase_shift_3d(ConstBScanStackView in, const CubeMetadata& metadata, const VelocityModel& velocity,
                            const DepthAxis& depth_axis, const PhaseShift3DOptions& options, BScanStackView out,
                            Device device) {
  validate(in, "3-D migration input");
  PhaseShift3DPlan plan(metadata, in.n_bscans, in.n_samples, in.n_traces, velocity, depth_axis, options, device);
  plan.execute(in, out);
}

DepthImage3D migrate_phase_shift_3d(const Cube& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                                    const PhaseShift3DOptions& options, Device device) {
  validate(in.view(), "3-D migration input");
  PhaseShift3DPlan plan(in.metadata, in.n_lines(), in.n_samples(), in.n_traces(), velocity, depth_axis, options,
                        device);
  return plan.execute(in);
}

}  // namespace gprproc
