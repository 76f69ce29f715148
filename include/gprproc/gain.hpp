#pragma once
// Amplitude gain: power of time (t^p), exponential (e^{a t}), their product
// SEC (spherical and exponential compensation, t^p e^{a t}), and automatic
// gain control (AGC). Every gain returns its curve so that it can be undone
// with remove_gain (and applied again with apply_gain).
//
// Two levels as everywhere (DESIGN.md): views (host or device memory, in ==
// out allowed) and BScan in, new BScan out with a history step. The formulas
// and edge rules are in docs/PREPROCESSING.md.
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"

namespace gprproc {

// Where t of a time gain is measured from.
enum class GainTimeOrigin {
  time_zero,     // t = t0 + i dt: the B-scan's clock (time zero as set by time-zero correction)
  first_sample,  // t = i dt: from the first sample, whatever t0 is
};

// g(t) = (max(t, dt) / reference_time)^power * exp(exponent * max(t, 0)).
// Safe at t <= 0: samples at or before time zero get the power gain of one
// sample interval and no exponential gain, so g is finite, positive and
// undoable for every real power (negative ones included).
struct TimeGain {
  double power = 0.0;           // p, real
  double exponent = 0.0;        // a, 1/s (attenuation compensation; 0: none)
  double reference_time = 1.0;  // s; 1 gives exactly t^p in seconds, 1e-9 gives (t / 1 ns)^p
  GainTimeOrigin origin = GainTimeOrigin::time_zero;
};

// The per-sample gain curve (n_samples values); throws InvalidArgument when a
// parameter is not finite, reference_time <= 0, or the curve leaves float range.
std::vector<float> time_gain_curve(const BScanMetadata& metadata, std::size_t n_samples, const TimeGain& gain);

// out = in * g(t), per sample; returns the curve.
std::vector<float> time_gain(ConstBScanView in, const BScanMetadata& metadata, const TimeGain& gain, BScanView out,
                             Device device = Device::automatic);
BScan time_gain(const BScan& in, const TimeGain& gain, Device device = Device::automatic,
                std::vector<float>* curve = nullptr);
// Shorthands: t^power and e^{exponent t} (reference time 1 s, from time zero).
BScan power_gain(const BScan& in, double power, Device device = Device::automatic,
                 std::vector<float>* curve = nullptr);
BScan exponential_gain(const BScan& in, double exponent, Device device = Device::automatic,
                       std::vector<float>* curve = nullptr);

// AGC: each sample divided by the RMS of its trace over `window` seconds
// centred on it (round(window / dt) samples made odd, shrunk at the trace
// ends like dewow). The RMS is floored at floor * (RMS of the whole trace), so
// quiet stretches are not blown up; an all-zero trace gets gain 1.
struct AgcOptions {
  double window = 0.0;  // s, at least one sample and at most the trace
  double floor = 1e-3;  // fraction of the trace's RMS, in (0, 1]
};

// out = in * gain, gain = 1 / max(rms, floor level) per sample and trace. The
// gain view (same shape as in) receives the curve; pass a null `samples`
// pointer to skip it.
void agc(ConstBScanView in, const BScanMetadata& metadata, const AgcOptions& options, BScanView out,
         BScanView gain, Device device = Device::automatic);
BScan agc(const BScan& in, const AgcOptions& options, Device device = Device::automatic, BScan* gain = nullptr);

// out = in * gain (apply) or in / gain (remove). `gain` has shape
// (n_samples, 1) (one value per sample, for every trace) or the shape of `in`
// (per sample and trace); it must be finite and non-zero.
void apply_gain(ConstBScanView in, ConstBScanView gain, BScanView out, Device device = Device::automatic);
void remove_gain(ConstBScanView in, ConstBScanView gain, BScanView out, Device device = Device::automatic);
BScan apply_gain(const BScan& in, const std::vector<float>& curve, Device device = Device::automatic);
BScan remove_gain(const BScan& in, const std::vector<float>& curve, Device device = Device::automatic);
BScan apply_gain(const BScan& in, const BScan& gain, Device device = Device::automatic);
BScan remove_gain(const BScan& in, const BScan& gain, Device device = Device::automatic);

}  // namespace gprproc
