"""Gains: power of time (t^p), exponential (e^{a t}), SEC (t^p e^{a t}), AGC,
and their removal.

    b2, g = gp.time_gain(b, power=2.0, reference_time=1e-9, return_gain=True)
    b3 = gp.remove_gain(b2, g)               # b3 == b (to float rounding)
    b2, g = gp.agc(b, window=5e-9, return_gain=True)   # g per sample and trace

Formulas and edge rules (t <= 0, floors): docs/PREPROCESSING.md.
"""
import numpy as np

from . import _arrays, _core, _numbers, _wrap
from .filters import window_samples
from .bscan import BScan

_ORIGINS = ("time_zero", "first_sample")


def time_gain(bscan, *, power=0.0, exponent=0.0, reference_time=1.0, origin="time_zero", return_gain=False,
              device="auto", **metadata):
    """Multiply by g(t) = (max(t, dt) / reference_time)^power * exp(exponent * max(t, 0)).

    Returns the gained B-scan, or ``(gained, g)`` with ``return_gain`` (g: numpy,
    one value per sample) for ``remove_gain``."""
    if origin not in _ORIGINS:
        raise ValueError(f"origin must be one of {', '.join(_ORIGINS)}, got {origin!r}")
    _wrap.check_device(device)
    power, exponent = _numbers.real("power", power), _numbers.real("exponent", exponent, "1/s")
    reference_time = _numbers.real("reference_time", reference_time, "s")
    return_gain = _numbers.flag("return_gain", return_gain)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "time_gain", ("dt",))
    output = _wrap.empty_like(b.data)
    curve = np.asarray(_core.time_gain(b.data, output, meta, power, exponent, reference_time, origin, device))
    parameters = {"power": power, "exponent": exponent, "reference_time": reference_time, "origin": origin}
    result = _wrap.result(b, output, bare, "time_gain", parameters)
    return (result, curve) if return_gain else result


def power_gain(bscan, power, **keywords):
    """t^power (t in s from time zero; see time_gain for the keywords)."""
    return time_gain(bscan, power=power, **keywords)


def exponential_gain(bscan, exponent, **keywords):
    """e^{exponent t} (1/s; see time_gain for the keywords)."""
    return time_gain(bscan, exponent=exponent, **keywords)


def agc(bscan, window, *, floor=1e-3, return_gain=False, device="auto", **metadata):
    """Automatic gain control: divide by the RMS over ``window`` seconds (floored
    at ``floor`` times the trace RMS). ``return_gain`` also returns the gain
    (same shape and array module as the data)."""
    _wrap.check_device(device)
    window, floor = _numbers.real("window", window, "s"), _numbers.real("floor", floor)
    return_gain = _numbers.flag("return_gain", return_gain)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "agc", ("dt",))
    output = _wrap.empty_like(b.data)
    gain = _wrap.empty_like(b.data) if return_gain else None
    _core.agc(b.data, output, gain, meta, window, floor, device)
    result = _wrap.result(b, output, bare, "agc",
                          {"window": window, "window_samples": window_samples(window, b.dt), "floor": floor})
    return (result, gain) if return_gain else result


def _gain_array(gain, like, n_samples):
    """The gain as a 2-D float32 array of the data's module: (n_samples, 1) for
    a per-sample curve, else as given."""
    data = gain.data if isinstance(gain, BScan) else gain
    xp = _arrays.array_module(like)
    if xp is np:
        data = _arrays.to_host(data)
    data = _arrays.as_float32(data, "gain", f"({n_samples},) or ({n_samples}, n_traces)")
    if _arrays.array_module(data) is not xp:
        data = xp.asarray(data)  # a host curve for device data: one small copy up
    if data.ndim == 1:
        data = data.reshape(-1, 1)
    if data.ndim != 2 or data.shape[0] != n_samples:
        raise ValueError(f"gain must have {n_samples} samples: shape ({n_samples},), ({n_samples}, 1) or "
                         f"({n_samples}, n_traces), got {tuple(data.shape)}")
    return xp.ascontiguousarray(data)


def _gain_step(operation, bscan, gain, divide, device, metadata):
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    g = _gain_array(gain, b.data, b.n_samples)
    output = _wrap.empty_like(b.data)
    _core.apply_gain(b.data, g, output, divide, device)
    return _wrap.result(b, output, bare, operation, {"per_trace": int(g.shape[1]) != 1})


def apply_gain(bscan, gain, *, device="auto", **metadata):
    """Multiply by a gain: one value per sample, or per sample and trace."""
    return _gain_step("apply_gain", bscan, gain, False, device, metadata)


def remove_gain(bscan, gain, *, device="auto", **metadata):
    """Undo a gain (divide by it): the curve a gain function returned."""
    return _gain_step("remove_gain", bscan, gain, True, device, metadata)
