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

from . import _core, _numbers, _wrap

_SHAPES = ("cosine_taper", "butterworth")
_METHODS = ("amplitude_threshold", "envelope_threshold", "direct_wave_peak")


def remove_dc(bscan, window=None, *, device="auto", **metadata):
    """Subtract from each trace its mean over ``window`` = (start, end) seconds
    (both included; None: the whole trace)."""
    if window is None:
        start, end = -math.inf, math.inf
    else:
        if isinstance(window, (str, bytes)) or not hasattr(window, "__len__") or len(window) != 2:
            raise ValueError(f"remove_dc: window must be a pair (start, end) in s, or None, got {window!r}")
        start, end = (_numbers.real(f"window[{k}]", window[k], "s", finite=False) for k in (0, 1))
    parameters = {"window_start": None if window is None else start, "window_end": None if window is None else end}
    return _wrap.apply("remove_dc", _core.remove_dc, bscan, metadata, parameters=parameters, args=(start, end),
                       device=device, require=("dt",), kernel_checks_finite=True)


def dewow(bscan, window, *, device="auto", **metadata):
    """Remove the low-frequency 'wow': subtract a running mean over ``window``
    seconds centred on each sample (the window shrinks at the trace ends)."""
    window = _numbers.real("window", window, "s")
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "dewow", ("dt",))
    output = _wrap.empty_like(b.data)
    _core.dewow(b.data, output, meta, window, device)
    # The window used, in samples, beside the one asked for.
    return _wrap.result(b, output, bare, "dewow", {"window": window, "window_samples": window_samples(window, b.dt)})


def window_samples(window, dt):
    """Samples a running window of ``window`` s spans: round(window / dt) made
    odd (the C++ rule, preprocessing::samples_in, half away from zero); None
    without dt (the operation then says dt is missing)."""
    if not dt:
        return None
    return 2 * (int(math.floor(window / dt + 0.5)) // 2) + 1


def bandpass(bscan, low, high, *, shape="cosine_taper", low_taper=0.0, high_taper=0.0, order=4, device="auto",
             **metadata):
    """Zero-phase band-pass between ``low`` and ``high`` Hz (low=0: low-pass).

    shape       "cosine_taper" (1 in the band, cos^2 tapers of ``low_taper`` /
                ``high_taper`` Hz outside) or "butterworth" (|H| of order ``order``)
    """
    if shape not in _SHAPES:
        raise ValueError(f"shape must be one of {', '.join(_SHAPES)}, got {shape!r}")
    low, high = _numbers.real("low", low, "Hz"), _numbers.real("high", high, "Hz")
    low_taper, high_taper = _numbers.real("low_taper", low_taper, "Hz"), _numbers.real("high_taper", high_taper, "Hz")
    order = _numbers.integer("order", order)
    parameters = {"low": low, "high": high, "shape": shape}
    if shape == "butterworth":
        parameters["order"] = order
    else:
        parameters.update(low_taper=low_taper, high_taper=high_taper)
    return _wrap.apply("bandpass", _core.bandpass, bscan, metadata, parameters=parameters,
                       args=(low, high, shape, low_taper, high_taper, order),
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
    threshold, half_width = _numbers.real("threshold", threshold), _numbers.integer("half_width", half_width)
    b, _ = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "pick_first_breaks", ("dt",))
    return np.asarray(_core.pick_first_breaks(b.data, meta, _method(method), threshold, 0.0, half_width, device))


def correct_time_zero(bscan, *, method="amplitude_threshold", threshold=0.1, first_break_time=0.0, half_width=8,
                      device="auto", **metadata):
    """Pick each trace's first break and shift the trace (windowed sinc) so it
    lies at ``first_break_time`` (s). The sample grid does not change."""
    _wrap.check_device(device)
    threshold = _numbers.real("threshold", threshold)
    first_break_time = _numbers.real("first_break_time", first_break_time, "s")
    half_width = _numbers.integer("half_width", half_width)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "correct_time_zero", ("dt",))
    output = _wrap.empty_like(b.data)
    _core.correct_time_zero(b.data, output, meta, _method(method), threshold, first_break_time, half_width, device)
    parameters = {"method": method, "threshold": threshold, "first_break_time": first_break_time,
                  "interpolation_half_width": half_width}
    return _wrap.result(b, output, bare, "correct_time_zero", parameters)


def shift_traces(bscan, shifts, *, half_width=8, device="auto", **metadata):
    """out_j(t) = in_j(t + shifts[j]) (s; one value for all traces or one per trace)."""
    values = _numbers.reals("shifts", shifts, "s")
    half_width = _numbers.integer("half_width", half_width)
    return _wrap.apply("shift_traces", _core.shift_traces, bscan, metadata,
                       parameters={"shifts": values, "interpolation_half_width": half_width},
                       args=(values, half_width), device=device, require=("dt",), kernel_checks_finite=True)


def shift_time_zero(bscan, time_zero, *, half_width=8, device="auto", **metadata):
    """Move the event at ``time_zero`` (s) to time 0 on every trace; it must lie on the record."""
    time_zero = _numbers.real("time_zero", time_zero, "s")
    half_width = _numbers.integer("half_width", half_width)
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "shift_time_zero", ("dt",))
    _core.check_time_in_record("shift_time_zero: time_zero", time_zero, meta, b.n_samples)
    output = _wrap.empty_like(b.data)
    _core.shift_traces(b.data, output, meta, [time_zero], half_width, device)
    return _wrap.result(b, output, bare, "shift_time_zero",
                        {"time_zero": time_zero, "interpolation_half_width": half_width})


def bandpass_response(frequency, low, high, *, shape="cosine_taper", low_taper=0.0, high_taper=0.0, order=4):
    """The band-pass's real response H(f) at ``frequency`` (Hz), as applied."""
    if shape not in _SHAPES:
        raise ValueError(f"shape must be one of {', '.join(_SHAPES)}, got {shape!r}")
    return _core.bandpass_response(_numbers.real("low", low, "Hz"), _numbers.real("high", high, "Hz"), shape,
                                   _numbers.real("low_taper", low_taper, "Hz"),
                                   _numbers.real("high_taper", high_taper, "Hz"), _numbers.integer("order", order),
                                   _numbers.real("frequency", frequency, "Hz"))
