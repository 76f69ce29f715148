// Band-pass and Hilbert transform: validation, dispatch, and the CPU loops.
// CPU FFTs: src/fft_cpu.hpp (PocketFFT, header-only). Each OpenMP thread
// gathers a block of kBlock adjacent traces (one 64-byte line of each row) into
// zero-padded SIMD-lane buffers and transforms RealFftLanes::lanes traces per
// FFT call, in place, in halfcomplex order; nothing is transposed through
// memory and nothing is allocated per trace.
#include <algorithm>
#include <cmath>
#include <vector>

#include "fft_cpu.hpp"
#include "filters_common.hpp"
#include "gprproc/detail/filters_math.hpp"
#include "gprproc/filters.hpp"
#include "parallel_errors.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "filters_cuda.hpp"
#endif

namespace gprproc {

namespace {

using preprocessing::as_const;
using preprocessing::throw_parameter;

constexpr std::size_t kLanes = cpu::RealFftLanes::lanes;
constexpr std::size_t kBlock = 16;  // traces per work item: 64 bytes of each row
constexpr std::size_t kGroups = (kBlock + kLanes - 1) / kLanes;
constexpr std::size_t kPrefetchRows = 16;

inline void prefetch(const float* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}
inline void prefetch_for_write(float* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p, 1);
#else
  (void)p;
#endif
}

// Samples i and i + kPrefetchRows of a column are `row_pitch` floats apart;
// the address kPrefetchRows rows ahead, or nullptr past the last row.
template <class T>
T* rows_ahead(T* p, std::size_t i, std::size_t ns, std::size_t row_pitch) {
  return i + kPrefetchRows < ns ? p + kPrefetchRows * row_pitch : nullptr;
}

// For every block of traces: gathers them, zero-padded to n_fft, runs
// `spectrum_op(fft)` on each group of lanes (it transforms, changes the
// spectrum and transforms back, leaving the new traces in fft.data()), then
// hands each row's results to `store_row(i, j0, w, values)`: values[c] is the
// new sample i of trace j0 + c, c < w (contiguous, so the caller's loop over a
// row segment vectorises).
template <class SpectrumOp, class StoreRow>
void for_each_padded_trace(ConstBScanView in, std::size_t n_fft, SpectrumOp spectrum_op, StoreRow store_row) {
  const std::size_t nt = in.n_traces, ns = in.n_samples;
  const long n_blocks = static_cast<long>((nt + kBlock - 1) / kBlock);
  // The FFT plans and transforms allocate: a failure must not escape the region.
  parallel::ParallelErrors errors;
#pragma omp parallel if (n_blocks > 1)
  {
    std::vector<cpu::RealFftLanes> ffts;
    const bool ready = errors.run([&] {
      ffts.reserve(kGroups);
      for (std::size_t g = 0; g < kGroups; ++g) ffts.emplace_back(n_fft);
    });
    alignas(64) float values[kGroups * kLanes];
#pragma omp for schedule(static)
    for (long b = 0; b < n_blocks; ++b) {
      if (!ready) continue;
      errors.run([&] {
        const std::size_t j0 = static_cast<std::size_t>(b) * kBlock, w = std::min(kBlock, nt - j0);
        const std::size_t groups = (w + kLanes - 1) / kLanes;
        // Row by row: one cache line of each row feeds every group. The rows
        // are 4 n_traces bytes apart, too far for the hardware prefetchers, so
        // the line kPrefetchRows rows ahead is requested early.
        float* d[kGroups];
        for (std::size_t g = 0; g < groups; ++g) d[g] = ffts[g].data();
        for (std::size_t i = 0; i < ns; ++i) {
          const float* row = in.samples + i * nt + j0;
          if (i + kPrefetchRows < ns) prefetch(row + kPrefetchRows * nt);
          if (w == kBlock) {
            for (std::size_t g = 0; g < kGroups; ++g)
              for (std::size_t l = 0; l < kLanes; ++l) d[g][i * kLanes + l] = row[g * kLanes + l];
          } else {
            for (std::size_t g = 0; g < groups; ++g)
              for (std::size_t l = 0; l < kLanes; ++l)
                d[g][i * kLanes + l] = g * kLanes + l < w ? row[g * kLanes + l] : 0.0f;
          }
        }
        for (std::size_t g = 0; g < groups; ++g) {
          std::fill(d[g] + ns * kLanes, d[g] + n_fft * kLanes, 0.0f);
          spectrum_op(ffts[g]);
        }
        for (std::size_t i = 0; i < ns; ++i) {
          for (std::size_t g = 0; g < groups; ++g) {
            const float* d = ffts[g].data() + i * kLanes;
            for (std::size_t l = 0; l < kLanes; ++l) values[g * kLanes + l] = d[l];
          }
          store_row(i, j0, w, values);
        }
      });
    }
  }
  errors.rethrow();
}

// A response of n_fft / 2 + 1 real bins spread over the n_fft slots of the
// halfcomplex order (r0, r1, i1, r2, i2, ...): both parts of a bin get its weight.
std::vector<float> halfcomplex_weights(const std::vector<float>& bins, std::size_t n_fft) {
  std::vector<float> w(n_fft);
  w[0] = bins[0];
  for (std::size_t m = 1; m < n_fft; ++m) w[m] = bins[(m + 1) / 2];
  return w;
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
  // Corners in MHz or GHz written as Hz (bandpass(b, 100, 800)) would pass
  // nothing but DC and return zeros.
  plausibility::check_band_frequency(op + ": high", o.high);
  plausibility::check_corner_frequency(op + ": low", o.low);
  if (o.shape == BandpassShape::cosine_taper) {
    plausibility::check_corner_frequency(op + ": low_taper", o.low_taper);
    plausibility::check_corner_frequency(op + ": high_taper", o.high_taper);
  }
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
  const std::vector<float> weights = halfcomplex_weights(response, n_fft);  // 1 / n_fft included
  for_each_padded_trace(
      in, n_fft,
      [&](cpu::RealFftLanes& fft) {
        fft.forward();
        float* d = fft.data();
        for (std::size_t m = 0; m < n_fft; ++m)
          for (std::size_t l = 0; l < kLanes; ++l) d[m * kLanes + l] *= weights[m];
        fft.inverse(1.0f);
      },
      [&](std::size_t i, std::size_t j0, std::size_t w, const float* values) {
        float* o = out.samples + i * nt + j0;
        if (float* ahead = rows_ahead(o, i, in.n_samples, nt)) prefetch_for_write(ahead);
        std::copy_n(values, w, o);
      });
}

BScan bandpass(const BScan& in, const BandpassOptions& options, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
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
      [&](cpu::RealFftLanes& fft) {
        fft.forward();
        float* d = fft.data();
        // Halfcomplex (r_k, i_k) at slots (2k-1, 2k): -i X_k = (i_k, -r_k); DC
        // (slot 0) and, for an even n_fft, Nyquist (the last slot) become 0.
        for (std::size_t l = 0; l < kLanes; ++l) d[l] = 0.0f;
        std::size_t m = 1;
        for (; m + 1 < n_fft; m += 2)
          for (std::size_t l = 0; l < kLanes; ++l) {
            const float re = d[m * kLanes + l], im = d[(m + 1) * kLanes + l];
            d[m * kLanes + l] = im;
            d[(m + 1) * kLanes + l] = -re;
          }
        if (m < n_fft)
          for (std::size_t l = 0; l < kLanes; ++l) d[m * kLanes + l] = 0.0f;
        fft.inverse(scale);
      },
      [&](std::size_t i, std::size_t j0, std::size_t w, const float* h) {
        const std::size_t k = i * nt + j0;
        float x[kBlock];  // read before any output is written: outputs may alias the input
        if (const float* ahead = rows_ahead(in.samples + k, i, in.n_samples, nt)) prefetch(ahead);
        std::copy_n(in.samples + k, w, x);
        if (envelope_out.samples) {
          float* e = envelope_out.samples + k;
          if (float* ahead = rows_ahead(e, i, in.n_samples, nt)) prefetch_for_write(ahead);
          for (std::size_t c = 0; c < w; ++c) e[c] = std::sqrt(x[c] * x[c] + h[c] * h[c]);
        }
        if (phase_out.samples) {
          float* p = phase_out.samples + k;
          if (float* ahead = rows_ahead(p, i, in.n_samples, nt)) prefetch_for_write(ahead);
          for (std::size_t c = 0; c < w; ++c) p[c] = std::atan2(h[c], x[c]);
        }
      });
}

BScan envelope(const BScan& in, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  hilbert(in.view(), in.metadata, out.view(), BScanView{}, device);
  append_history(out.history, "envelope", HistoryParameters());
  return out;
}

BScan instantaneous_phase(const BScan& in, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  hilbert(in.view(), in.metadata, BScanView{}, out.view(), device);
  append_history(out.history, "instantaneous_phase", HistoryParameters());
  return out;
}

}  // namespace gprproc
