#pragma once
// Preprocessing filters applied trace by trace: DC removal, dewow, zero-phase
// band-pass, Hilbert envelope / instantaneous phase, time-zero correction.
//
// Every operation exists at two levels (DESIGN.md, Backends):
//  - a view level on caller memory (host or device views; device views stay on
//    the GPU), `in` and `out` of the same shape;
//  - a convenience level, BScan in, new BScan out, with a history step.
// Unless said otherwise `in` and `out` may be the same memory (in place).
// Times are in seconds on the B-scan's clock: sample i is at t0 + i * dt.
// The algorithms, edge rules and references are in docs/PREPROCESSING.md.
#include <cstddef>
#include <limits>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"

namespace gprproc {

// A time interval [start, end] (s, on the B-scan's clock, both ends included).
// The default spans every sample.
struct TimeWindow {
  double start = -std::numeric_limits<double>::infinity();
  double end = std::numeric_limits<double>::infinity();
  static TimeWindow whole_trace() { return {}; }
};

// ---- DC removal: subtract from each trace the mean of its samples in `window`
// (the whole trace by default). The window must hold at least one sample.
void remove_dc(ConstBScanView in, const BScanMetadata& metadata, const TimeWindow& window, BScanView out,
               Device device = Device::automatic);
BScan remove_dc(const BScan& in, const TimeWindow& window = TimeWindow::whole_trace(),
                Device device = Device::automatic);

// ---- Dewow: subtract from each sample the mean of the samples within
// `window` seconds centred on it (round(window / dt) samples, made odd). Near
// the trace ends the window shrinks to the samples that exist (it is not
// padded). The window must span at least one sample and at most the trace.
void dewow(ConstBScanView in, const BScanMetadata& metadata, double window, BScanView out,
           Device device = Device::automatic);
BScan dewow(const BScan& in, double window, Device device = Device::automatic);

// ---- Band-pass, zero phase: a real frequency response applied to each
// trace's spectrum (no time shift). Traces are zero-padded to a fast FFT
// length of at least twice their length, so the filter does not wrap around.
enum class BandpassShape {
  cosine_taper,  // 1 in [low, high], raised-cosine tapers of the given widths outside, 0 beyond
  butterworth,   // |H| of a Butterworth band-pass of `order` (-3 dB at the corners), magnitude only
};

struct BandpassOptions {
  double low = 0.0;   // Hz, lower corner (0: low-pass)
  double high = 0.0;  // Hz, upper corner, above `low` and at most the Nyquist frequency
  BandpassShape shape = BandpassShape::cosine_taper;
  double low_taper = 0.0;   // Hz, width of the cosine taper below `low`  (cosine_taper)
  double high_taper = 0.0;  // Hz, width of the cosine taper above `high` (cosine_taper)
  int order = 4;            // Butterworth order, 1..32 (butterworth)
};

void bandpass(ConstBScanView in, const BScanMetadata& metadata, const BandpassOptions& options, BScanView out,
              Device device = Device::automatic);
BScan bandpass(const BScan& in, const BandpassOptions& options, Device device = Device::automatic);

// The frequency response the band-pass applies at frequency f (Hz).
double bandpass_response(const BandpassOptions& options, double frequency);

// ---- Hilbert transform: the analytic signal of each trace (via FFT, with the
// same zero-padding as the band-pass). Writes its envelope |z| and/or its
// instantaneous phase arg z (radians, in (-pi, pi]); pass a view with a null
// `samples` pointer for an output you do not want.
void hilbert(ConstBScanView in, const BScanMetadata& metadata, BScanView envelope_out, BScanView phase_out,
             Device device = Device::automatic);
BScan envelope(const BScan& in, Device device = Device::automatic);
BScan instantaneous_phase(const BScan& in, Device device = Device::automatic);

// ---- Time zero.
enum class FirstBreakMethod {
  amplitude_threshold,  // first time |x| reaches threshold * max|x| of the trace
  envelope_threshold,   // first time the Hilbert envelope reaches threshold * its maximum
  direct_wave_peak,     // the first peak of |x| after the amplitude threshold is reached
};

struct TimeZeroOptions {
  FirstBreakMethod method = FirstBreakMethod::amplitude_threshold;
  double threshold = 0.1;  // fraction of the trace's maximum, in (0, 1]
  // Where every trace's first break is put (s, on the B-scan's clock); the
  // default 0 makes the first break time zero.
  double first_break_time = 0.0;
  int interpolation_half_width = 8;  // Kaiser-windowed sinc half-width in samples, 2..32
};

// First-break times (s, on the B-scan's clock), one per trace, to sub-sample
// precision (windowed-sinc refinement). A trace without any non-zero sample
// gets NaN.
std::vector<double> pick_first_breaks(ConstBScanView in, const BScanMetadata& metadata,
                                      const TimeZeroOptions& options, Device device = Device::automatic);

// out_j(t) = in_j(t + shift_j): positive shifts move events earlier. `shifts`
// (s) holds one value for every trace or one per trace. Windowed-sinc
// interpolation; samples from beyond the trace are zero. in == out is allowed.
void shift_traces(ConstBScanView in, const BScanMetadata& metadata, const std::vector<double>& shifts,
                  BScanView out, int interpolation_half_width = 8, Device device = Device::automatic);

// Picks every trace's first break and shifts the trace so that it lies at
// options.first_break_time. Returns the picks (s). A trace without a pick is
// left unshifted. The sample grid (t0, dt) does not change.
std::vector<double> correct_time_zero(ConstBScanView in, const BScanMetadata& metadata,
                                      const TimeZeroOptions& options, BScanView out,
                                      Device device = Device::automatic);
BScan correct_time_zero(const BScan& in, const TimeZeroOptions& options = {}, Device device = Device::automatic);
// Time zero given: the event at `time_zero` (s, on the B-scan's clock) is
// moved to time 0; every trace is shifted by the same amount.
BScan shift_time_zero(const BScan& in, double time_zero, int interpolation_half_width = 8,
                      Device device = Device::automatic);

}  // namespace gprproc
