// Band-pass and Hilbert transform: validation, dispatch, and the CPU loops.
// CPU FFTs: Eigen's FFT module (kissfft backend, header-only, part of
// libeigen3-dev which the core already needs). Each OpenMP thread gathers a
// block of traces (contiguous rows of the block) into zero-padded buffers and
// transforms them one by one with its own FFT object (plans cached per size).
#include <unsupported/Eigen/FFT>

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "gprproc/filters.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "filters_cuda.hpp"
#endif

namespace gprproc {

namespace {

using preprocessing::as_const;
using preprocessing::throw_parameter;

constexpr std::size_t kBlock = 16;  // traces gathered together (one cache line of a row)

// Runs `per_trace(padded, spectrum, fft)` on every trace, zero-padded to n_fft;
// `per_trace` leaves in `padded` the first n_samples values to store in column
// j of `out` (via `store`).
template <class SpectrumOp, class Store>
void for_each_padded_trace(ConstBScanView in, std::size_t n_fft, SpectrumOp spectrum_op, Store store) {
  const std::size_t nt = in.n_traces, ns = in.n_samples, n_bins = n_fft / 2 + 1;
  const long n_blocks = static_cast<long>((nt + kBlock - 1) / kBlock);
#pragma omp parallel
  {
    Eigen::FFT<float> fft;
    fft.SetFlag(Eigen::FFT<float>::HalfSpectrum);
    fft.SetFlag(Eigen::FFT<float>::Unscaled);  // the 1 / n_fft is applied by the callers
    std::vector<float> block(kBlock * n_fft);
    std::vector<std::complex<float>> spectrum(n_bins);
    std::vector<float> result(n_fft);
#pragma omp for schedule(dynamic)
    for (long b = 0; b < n_blocks; ++b) {
      const std::size_t j0 = static_cast<std::size_t>(b) * kBlock, w = std::min(kBlock, nt - j0);
      std::fill(block.begin(), block.end(), 0.0f);
      for (std::size_t i = 0; i < ns; ++i)
        for (std::size_t j = 0; j < w; ++j) block[j * n_fft + i] = in.samples[i * nt + j0 + j];
      for (std::size_t j = 0; j < w; ++j) {
        fft.fwd(spectrum.data(), block.data() + j * n_fft, static_cast<Eigen::Index>(n_fft));
        spectrum_op(spectrum);
        fft.inv(result.data(), spectrum.data(), static_cast<Eigen::Index>(n_fft));
        std::copy_n(result.data(), ns, block.data() + j * n_fft);
      }
      for (std::size_t i = 0; i < ns; ++i)
        for (std::size_t j = 0; j < w; ++j) store(i, j0 + j, block[j * n_fft + i]);
    }
  }
}

std::vector<float> response_bins(const BandpassOptions& o, double dt, std::size_t n_fft) {
  const std::size_t n_bins = n_fft / 2 + 1;
  std::vector<float> r(n_bins);
  const double df = 1.0 / (dt * static_cast<double>(n_fft));
  for (std::size_t k = 0; k < n_bins; ++k)
    r[k] = static_cast<float>(bandpass_response(o, df * static_cast<double>(k)) / static_cast<double>(n_fft));
  return r;
}

void check_bandpass(const BandpassOptions& o, const BScanMetadata& m) {
  const std::string op = "bandpass";
  const double nyquist = 0.5 / m.dt;
  preprocessing::require_finite(op, "low", o.low);
  preprocessing::require_finite(op, "high", o.high);
  preprocessing::require_finite(op, "low_taper", o.low_taper);
  preprocessing::require_finite(op, "high_taper", o.high_taper);
  if (o.low < 0.0) throw_parameter(op, "low", o.low, "the lower corner (Hz) must be >= 0 (0 gives a low-pass)");
  if (!(o.high > o.low)) {
    std::ostringstream msg;
    msg << "the upper corner (Hz) must be above the lower corner low = " << o.low << " Hz (corners reversed?)";
    throw_parameter(op, "high", o.high, msg.str());
  }
  if (o.high > nyquist * (1.0 + 1e-12)) {
    std::ostringstream msg;
    msg << "the upper corner (Hz) must not exceed the Nyquist frequency 1 / (2 dt) = " << nyquist << " Hz";
    throw_parameter(op, "high", o.high, msg.str());
  }
  if (o.low_taper < 0.0) throw_parameter(op, "low_taper", o.low_taper, "taper widths (Hz) must be >= 0");
  if (o.high_taper < 0.0) throw_parameter(op, "high_taper", o.high_taper, "taper widths (Hz) must be >= 0");
  if (o.shape == BandpassShape::butterworth && (o.order < 1 || o.order > 32))
    throw_parameter(op, "order", o.order, "the Butterworth order must be 1..32");
}

}  // namespace

double bandpass_response(const BandpassOptions& o, double frequency) {
  if (o.shape == BandpassShape::butterworth)
    return detail::butterworth_bandpass_weight(frequency, o.low, o.high, o.order);
  return detail::cosine_bandpass_weight(std::fabs(frequency), o.low, o.high, o.low_taper, o.high_taper);
}

void bandpass(ConstBScanView in, const BScanMetadata& metadata, const BandpassOptions& options, BScanView out,
              Device device) {
  preprocessing::check_same_shape("bandpass", in, as_const(out));
  preprocessing::check_time_axis("bandpass", metadata);
  check_bandpass(options, metadata);
  const std::size_t n_fft = detail::padded_fft_length(in.n_samples);
  const std::vector<float> response = response_bins(options, metadata.dt, n_fft);
  const Device d = preprocessing::choose_device("bandpass", device, {in.memory, out.memory});
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::bandpass(in, n_fft, response, out);
    return;
#endif
  }
  preprocessing::check_input_finite("bandpass", in);
  const std::size_t nt = in.n_traces;
  for_each_padded_trace(
      in, n_fft,
      [&](std::vector<std::complex<float>>& s) {
        for (std::size_t k = 0; k < s.size(); ++k) s[k] *= response[k];
      },
      [&](std::size_t i, std::size_t j, float v) { out.samples[i * nt + j] = v; });
}

BScan bandpass(const BScan& in, const BandpassOptions& options, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  bandpass(in.view(), in.metadata, options, out.view(), device);
  HistoryParameters p;
  p.add("low", options.low).add("high", options.high);
  if (options.shape == BandpassShape::butterworth) {
    p.add("shape", "butterworth").add("order", options.order);
  } else {
    p.add("shape", "cosine_taper").add("low_taper", options.low_taper).add("high_taper", options.high_taper);
  }
  append_history(out.history, "bandpass", p);
  return out;
}

void hilbert(ConstBScanView in, const BScanMetadata& metadata, BScanView envelope_out, BScanView phase_out,
             Device device) {
  preprocessing::check_time_axis("hilbert", metadata);
  if (!envelope_out.samples && !phase_out.samples)
    throw InvalidArgument("hilbert: neither an envelope nor a phase output was given");
  if (envelope_out.samples) preprocessing::check_same_shape("hilbert", in, as_const(envelope_out), "envelope");
  if (phase_out.samples) preprocessing::check_same_shape("hilbert", in, as_const(phase_out), "phase");
  if (envelope_out.samples && phase_out.samples && envelope_out.samples == phase_out.samples)
    throw InvalidArgument("hilbert: the envelope and phase outputs are the same memory; give two buffers");
  const std::size_t n_fft = detail::padded_fft_length(in.n_samples);
  const Memory env_memory = envelope_out.samples ? envelope_out.memory : in.memory;
  const Memory phase_memory = phase_out.samples ? phase_out.memory : in.memory;
  const Device d = preprocessing::choose_device("hilbert", device, {in.memory, env_memory, phase_memory});
  if (d == Device::cuda) {
#ifdef GPRPROC_HAS_CUDA
    cuda_backend::hilbert(in, n_fft, envelope_out, phase_out);
    return;
#endif
  }
  preprocessing::check_input_finite("hilbert", in);
  const std::size_t nt = in.n_traces;
  const float scale = 1.0f / static_cast<float>(n_fft);
  // The Hilbert transform h: X[k] -> -i X[k] (0 at DC and Nyquist); the analytic
  // signal is x + i h (docs/PREPROCESSING.md). Outputs may alias the input: each
  // element reads its x right before its outputs are written.
  for_each_padded_trace(
      in, n_fft,
      [](std::vector<std::complex<float>>& s) {
        s.front() = 0.0f;
        s.back() = 0.0f;
        for (std::size_t k = 1; k + 1 < s.size(); ++k) s[k] = std::complex<float>(s[k].imag(), -s[k].real());
      },
      [&](std::size_t i, std::size_t j, float h_unscaled) {
        const std::size_t k = i * nt + j;
        const float x = in.samples[k], h = h_unscaled * scale;
        if (envelope_out.samples) envelope_out.samples[k] = std::sqrt(x * x + h * h);
        if (phase_out.samples) phase_out.samples[k] = std::atan2(h, x);
      });
}

BScan envelope(const BScan& in, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  hilbert(in.view(), in.metadata, out.view(), BScanView{}, device);
  append_history(out.history, "envelope", HistoryParameters());
  return out;
}

BScan instantaneous_phase(const BScan& in, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  hilbert(in.view(), in.metadata, BScanView{}, out.view(), device);
  append_history(out.history, "instantaneous_phase", HistoryParameters());
  return out;
}

}  // namespace gprproc
