"""Preprocessing filters: DC removal, dewow, zero-phase band-pass, Hilbert
envelope / instantaneous phase, time-zero correction.

    b = gp.remove_dc(b)                              # or window=(start, end) in s
    b = gp.dewow(b, window=1e-9)
    b = gp.bandpass(b, low=200e6, high=1.5e9, low_taper=100e6, high_taper=300e6)
    b = gp.bandpass(b, low=200e6, high=1.5e9, shape="butterworth", order=4)
    env = gp.envelope(b); phase = gp.instantaneous_phase(b)
    b = gp.correct_time_zero(b, method="amplitude_threshold", threshold=0.1)
    b = gp.shift_time_zero(b, 1.2e-9)                # the event at 1.2 ns moves to t = 0

Every function takes a BScan (returns a new BScan with a history step) or a
bare numpy/CuPy array with its metadata as keywords (dt=..., t0=...), and
``device="auto" | "cpu" | "cuda"``. Algorithms and edge rules: docs/PREPROCESSING.md.
"""
import math

import numpy as np

from . import _core, _wrap

_SHAPES = ("cosine_taper", "butterworth")
_METHODS = ("amplitude_threshold", "envelope_threshold", "direct_wave_peak")


def remove_dc(bscan, window=None, *, device="auto", **metadata):
    """Subtract from each trace its mean over ``window`` = (start, end) seconds
    (both included; None: the whole trace)."""
    start, end = (-math.inf, math.inf) if window is None else (float(window[0]), float(window[1]))
    parameters = {"window_start": None if window is None else start, "window_end": None if window is None else end}
    return _wrap.apply("remove_dc", _core.remove_dc, bscan, metadata, parameters=parameters, args=(start, end),
                       device=device, require=("dt",), kernel_checks_finite=True)


def dewow(bscan, window, *, device="auto", **metadata):
    """Remove the low-frequency 'wow': subtract a running mean over ``window``
    seconds centred on each sample (the window shrinks at the trace ends)."""
    return _wrap.apply("dewow", _core.dewow, bscan, metadata, parameters={"window": float(window)},
                       args=(float(window),), device=device, require=("dt",), kernel_checks_finite=True)


def bandpass(bscan, low, high, *, shape="cosine_taper", low_taper=0.0, high_taper=0.0, order=4, device="auto",
             **metadata):
    """Zero-phase band-pass between ``low`` and ``high`` Hz (low=0: low-pass).

    shape       "cosine_taper" (1 in the band, cos^2 tapers of ``low_taper`` /
                ``high_taper`` Hz outside) or "butterworth" (|H| of order ``order``)
    """
    if shape not in _SHAPES:
        raise ValueError(f"shape must be one of {', '.join(_SHAPES)}, got {shape!r}")
    parameters = {"low": float(low), "high": float(high), "shape": shape}
    if shape == "butterworth":
        parameters["order"] = int(order)
    else:
        parameters.update(low_taper=float(low_taper), high_taper=float(high_taper))
    return _wrap.apply("bandpass", _core.bandpass, bscan, metadata, parameters=parameters,
                       args=(float(low), float(high), shape, float(low_taper), float(high_taper), int(order)),
                       device=device, require=("dt",), kernel_checks_finite=True)


def _hilbert(operation, bscan, metadata, device, want_envelope):
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, operation, ("dt",))
    output = _wrap.empty_like(b.data)
    _core.hilbert(b.data, output if want_envelope else None, None if want_envelope else output, meta, device)
    return _wrap.result(b, output, bare, operation, {})


def envelope(bscan, *, device="auto", **metadata):
    """The Hilbert envelope |x + i H[x]| of every trace."""
    return _hilbert("envelope", bscan, metadata, device, True)


def instantaneous_phase(bscan, *, device="auto", **metadata):
    """The instantaneous phase arg(x + i H[x]) of every trace, radians in (-pi, pi]."""
    return _hilbert("instantaneous_phase", bscan, metadata, device, False)


def _method(method):
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    return method


def pick_first_breaks(bscan, *, method="amplitude_threshold", threshold=0.1, half_width=8, device="auto",
                      **metadata):
    """First-break times (s, on the B-scan's clock), one per trace (NaN for an
    all-zero trace), to sub-sample precision; a numpy array."""
    _wrap.check_device(device)
    b, _ = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "pick_first_breaks", ("dt",))
    return np.asarray(_core.pick_first_breaks(b.data, meta, _method(method), float(threshold), 0.0,
                                              int(half_width), device))


def correct_time_zero(bscan, *, method="amplitude_threshold", threshold=0.1, first_break_time=0.0, half_width=8,
                      device="auto", **metadata):
    """Pick each trace's first break and shift the trace (windowed sinc) so it
    lies at ``first_break_time`` (s). The sample grid does not change."""
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "correct_time_zero", ("dt",))
    output = _wrap.empty_like(b.data)
    _core.correct_time_zero(b.data, output, meta, _method(method), float(threshold), float(first_break_time),
                            int(half_width), device)
    parameters = {"method": method, "threshold": float(threshold), "first_break_time": float(first_break_time),
                  "interpolation_half_width": int(half_width)}
    return _wrap.result(b, output, bare, "correct_time_zero", parameters)


def shift_traces(bscan, shifts, *, half_width=8, device="auto", **metadata):
    """out_j(t) = in_j(t + shifts[j]) (s; one value for all traces or one per trace)."""
    values = [float(s) for s in np.atleast_1d(np.asarray(shifts, dtype=np.float64))]
    return _wrap.apply("shift_traces", _core.shift_traces, bscan, metadata,
                       parameters={"shifts": values, "interpolation_half_width": int(half_width)},
                       args=(values, int(half_width)), device=device, require=("dt",), kernel_checks_finite=True)


def shift_time_zero(bscan, time_zero, *, half_width=8, device="auto", **metadata):
    """Move the event at ``time_zero`` (s) to time 0 on every trace."""
    return _wrap.apply("shift_time_zero", _core.shift_traces, bscan, metadata,
                       parameters={"time_zero": float(time_zero), "interpolation_half_width": int(half_width)},
                       args=([float(time_zero)], int(half_width)), device=device, require=("dt",), kernel_checks_finite=True)


def bandpass_response(frequency, low, high, *, shape="cosine_taper", low_taper=0.0, high_taper=0.0, order=4):
    """The band-pass's real response H(f) at ``frequency`` (Hz), as applied."""
    if shape not in _SHAPES:
        raise ValueError(f"shape must be one of {', '.join(_SHAPES)}, got {shape!r}")
    return _core.bandpass_response(float(low), float(high), shape, float(low_taper), float(high_taper), int(order),
                                   float(frequency))
