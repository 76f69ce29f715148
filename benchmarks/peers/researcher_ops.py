"""The operations of gprproc written the way a researcher would in numpy/scipy
(or CuPy: every function takes the array module ``xp``). They follow the same
definitions as gprproc (docs/PREPROCESSING.md, docs/BACKGROUND.md,
docs/MIGRATION.md) so that the outputs can be compared, not gprproc's code.
Arrays are (n_samples, n_traces), float32, as gprproc holds them.
"""
import math


def _running_sum(xp, a, half, axis):
    """Sum over a window of half samples each side, cut at the ends (not padded),
    and the number of samples in each window, by cumulative sums."""
    n = a.shape[axis]
    c = xp.cumsum(a.astype(xp.float64), axis=axis)
    zero_shape = list(a.shape)
    zero_shape[axis] = 1
    c = xp.concatenate([xp.zeros(zero_shape, dtype=c.dtype), c], axis=axis)
    idx = xp.arange(n)
    hi = xp.minimum(idx + half + 1, n)
    lo = xp.maximum(idx - half, 0)
    total = xp.take(c, hi, axis=axis) - xp.take(c, lo, axis=axis)
    count = (hi - lo).astype(xp.float64)
    shape = [1] * a.ndim
    shape[axis] = n
    return total, count.reshape(shape)


def remove_dc(xp, a):
    return a - a.mean(axis=0, keepdims=True)


def dewow(xp, a, dt, window):
    half = int(round(window / dt)) // 2
    total, count = _running_sum(xp, a, half, axis=0)
    return (a - total / count).astype(xp.float32)


def cosine_bandpass_response(xp, f, low, high, low_taper, high_taper):
    w = xp.zeros_like(f)
    w[(f >= low) & (f <= high)] = 1.0
    if low_taper > 0:
        m = (f < low) & (f > low - low_taper)
        w[m] = xp.cos(0.5 * math.pi * (low - f[m]) / low_taper) ** 2
    if high_taper > 0:
        m = (f > high) & (f < high + high_taper)
        w[m] = xp.cos(0.5 * math.pi * (f[m] - high) / high_taper) ** 2
    return w


def bandpass(xp, a, dt, low, high, low_taper, high_taper, n_fft):
    n = a.shape[0]
    spectrum = xp.fft.rfft(a, n=n_fft, axis=0)
    f = xp.fft.rfftfreq(n_fft, d=dt)
    spectrum *= cosine_bandpass_response(xp, f, low, high, low_taper, high_taper)[:, None]
    return xp.fft.irfft(spectrum, n=n_fft, axis=0)[:n].astype(xp.float32)


def envelope(xp, a, n_fft, hilbert):
    """``hilbert``: scipy.signal.hilbert or cupyx.scipy.signal.hilbert."""
    return xp.abs(hilbert(a, N=n_fft, axis=0)[: a.shape[0]]).astype(xp.float32)


def sec_gain(xp, a, dt, t0, power, exponent, reference_time):
    t = t0 + dt * xp.arange(a.shape[0], dtype=xp.float64)
    g = (xp.maximum(t, dt) / reference_time) ** power * xp.exp(exponent * xp.maximum(t, 0.0))
    return (a * g.astype(xp.float32)[:, None]).astype(xp.float32)


def agc(xp, a, dt, window, floor):
    half = int(round(window / dt)) // 2
    squares = a.astype(xp.float64) ** 2
    total, count = _running_sum(xp, squares, half, axis=0)
    rms = xp.sqrt(total / count)
    trace_rms = xp.sqrt(squares.mean(axis=0, keepdims=True))
    level = xp.maximum(rms, floor * trace_rms)
    gain = xp.where(level > 0, 1.0 / xp.where(level > 0, level, 1.0), 1.0)
    return (a * gain).astype(xp.float32)


def background_mean(xp, a):
    """Mean trace of a B-scan (n_samples, n_traces), or of each B-scan of a stack."""
    return a - a.mean(axis=-1, keepdims=True)


def background_moving_mean(xp, a, window_traces):
    total, count = _running_sum(xp, a, window_traces // 2, axis=1)
    return (a - total / count).astype(xp.float32)


def background_moving_median(a, window_traces, median_filter):
    """scipy.ndimage.median_filter (or cupyx's) along the traces; 'nearest' edges."""
    return a - median_filter(a, size=(1, window_traces), mode="nearest")


def background_svd(xp, a, rank=1):
    u, s, vt = xp.linalg.svd(a.astype(xp.float64), full_matrices=False)
    return (a - (u[:, :rank] * s[:rank]) @ vt[:rank]).astype(xp.float32)


def kirchhoff_plain(a, dt, dx, velocity, dz, n_z, aperture_traces):
    """A plain diffraction sum (no weights, no taper), zero offset, antenna on
    the ground, linear interpolation: image(z, j) = dx * sum_k a(t(z, x_k - x_j), k)
    (the sum approximates an integral over the aperture, hence dx, as in gprproc)."""
    import numpy as np

    n_samples, n_traces = a.shape
    z = dz * np.arange(n_z)
    image = np.zeros((n_z, n_traces), dtype=np.float64)
    half = aperture_traces // 2
    padded = np.vstack([a, np.zeros((1, n_traces), dtype=a.dtype)])  # samples beyond the trace are zero
    for offset in range(-half, half + 1):
        x = offset * dx
        position = 2.0 * np.sqrt(z * z + x * x) / velocity / dt  # fractional sample index per depth
        i0 = np.floor(position).astype(np.int64)
        frac = position - i0
        ok = i0 < n_samples
        i0c = np.where(ok, i0, 0)
        lo, hi = max(0, -offset), min(n_traces, n_traces - offset)  # image columns whose trace exists
        traces = padded[:, lo + offset:hi + offset]
        contribution = (1.0 - frac)[:, None] * traces[i0c] + frac[:, None] * traces[i0c + 1]
        image[:, lo:hi] += np.where(ok[:, None], contribution, 0.0)
    return (image * dx).astype(np.float32)
