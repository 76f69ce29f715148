"""Crop a B-scan or a depth image: by coordinate, or by index (slicing).

    c = gp.crop(b, time=(2e-9, 12e-9), x=(0.3, 0.9))   # samples with 2 ns <= t < 12 ns, traces 0.3 <= x < 0.9 m
    c = b[100:600, 20:80]                             # by index, as numpy slices
    c = b[:, ::2]                                     # every other trace: dx doubled
    d = gp.crop(img, depth=(0.02, 0.2))              # a DepthImage's rows (and x=... its columns)

Coordinates select the samples (rows) whose coordinate c satisfies
``start <= c < end`` (start included, end excluded, as slices; a coordinate
within 1e-9 of a sample counts as on it), None meaning the record's first or
one-past-last sample. A range that reaches outside the record, or holds no
sample, is a ValueError naming it and the record's extent: it is never clamped.
Slices follow numpy's rules (negative indices count from the end) except that
bounds outside the data are an error too, a step along time is refused (it
would alias without a filter) and a negative step is refused; a step along
traces multiplies dx. The result has t0/x0 (z0/x0) of its first sample and
trace, the kept traces' positions and marks (a mark on a skipped trace moves
to the nearest kept one), and a "crop" history step. Its samples are a copy
(on the input's device: CuPy in, CuPy out). C++: gprproc/crop.hpp.
"""
import math

import numpy as np

from . import _core, _numbers, _wrap
from .bscan import BScan, DepthImage

_TOLERANCE = 1e-9  # of a sample: coordinates that differ from a sample's by rounding only are on it


def _coordinate_range(name, span, first, step, n, unit):
    """(begin, end) indices of the samples whose coordinate first + i * step
    lies in [start, end)."""
    if span is None:
        return 0, n
    if isinstance(span, (str, bytes)) or not hasattr(span, "__len__") or len(span) != 2:
        raise ValueError(f"crop: {name} must be a pair (start, end) in {unit} (None for the record's end), got {span!r}")
    start = None if span[0] is None else _numbers.real(f"crop: {name}[0]", span[0], unit)
    stop = None if span[1] is None else _numbers.real(f"crop: {name}[1]", span[1], unit)
    last = first + step * (n - 1)
    extent = f"the record's {name} axis runs from {first:.6g} to {last:.6g} {unit} ({n} samples, step {step:.6g})"
    begin = 0 if start is None else math.ceil((start - first) / step - _TOLERANCE)
    end = n if stop is None else math.ceil((stop - first) / step - _TOLERANCE)
    if start is not None and begin < 0:
        raise ValueError(f"crop: {name} start {start:.6g} {unit} is before the record's first sample; {extent}. "
                         "Ranges are not clamped")
    if stop is not None and end > n:
        raise ValueError(f"crop: {name} end {stop:.6g} {unit} is past the record (its end may be at most "
                         f"{first + step * n:.6g} {unit}, one step past the last sample); {extent}. Ranges are not clamped")
    if begin >= end:
        raise ValueError(f"crop: {name} range [{start}, {stop}) {unit} holds no sample; {extent}")
    return begin, end


def _slice_range(name, key, n, time_axis):
    """(begin, end, step) from one slice of B-scan/image indexing."""
    if isinstance(key, (bool, np.bool_)) or not isinstance(key, slice):
        raise TypeError(f"index a {name} axis with a slice (e.g. b[10:200, 5:60]) to get a cropped object; "
                        f"got {key!r} (use .data[...] for values)")
    step = 1 if key.step is None else _numbers.integer(f"{name} step", key.step)
    if step <= 0:
        raise ValueError(f"{name} slice step must be positive, got {step} (reversed axes are not supported)")
    if time_axis and step != 1:
        raise ValueError(f"a step along {name} ({step}) would alias the traces without a low-pass filter; "
                         "only traces can be stepped")
    bounds = []
    for which, value in (("start", key.start), ("stop", key.stop)):
        if value is None:
            bounds.append(None)
            continue
        index = _numbers.integer(f"{name} slice {which}", value)
        if index < 0:
            index += n  # numpy's rule: from the end
        if not 0 <= index <= n:
            raise IndexError(f"{name} slice {which} {value} is outside the {n} {name} (indices 0 .. {n - 1}); "
                             "slices are not clamped")
        bounds.append(index)
    begin = 0 if bounds[0] is None else bounds[0]
    end = n if bounds[1] is None else bounds[1]
    if begin >= end:
        raise IndexError(f"{name} slice {key} selects no {name} (of {n})")
    return begin, end, step


def _moved_marks(marks, begin, end, step, kept):
    """Marks inside [begin, end) on the nearest kept trace (a tie: the later), duplicates dropped."""
    if marks is None:
        return None
    moved = []
    for mark in (int(m) for m in marks):
        if begin <= mark < end:
            j = min((mark - begin + step // 2) // step, kept - 1)
            if not moved or moved[-1] != j:
                moved.append(j)
    return np.array(moved, dtype=np.int64)


def _window(obj, rows, columns, step, parameters):
    """The cropped copy of ``obj`` (BScan or DepthImage): rows [r0, r1),
    columns c0, c0 + step, ... < c1."""
    (r0, r1), (c0, c1) = rows, columns
    kept = (c1 - c0 + step - 1) // step
    output = _wrap.empty(obj.data, (r1 - r0, kept))
    _core.crop(obj.data, output, r0, r1, c0, c1, step)
    if isinstance(obj, BScan):
        if (r0 and obj.dt is None) or (c0 and obj.dx is None):
            raise ValueError("crop: the B-scan's dt (or dx) is not set, so the cropped t0 (x0) is unknown; set it first")
        t0 = obj.t0 + obj.dt * r0 if r0 else obj.t0
        x0 = obj.x0 + obj.dx * c0 if c0 else obj.x0
        positions = None if obj.positions is None else obj.positions[c0:c1:step].copy()
        result = BScan(output, **dict(obj.metadata(), t0=t0, x0=x0,
                                      dx=None if obj.dx is None else obj.dx * step),
                       history=obj.history, positions=positions,
                       marks=_moved_marks(obj.marks, c0, c1, step, kept), allow_non_finite=True)
        names = ("sample", "trace")
        axes = {"t0": t0, "x0": x0}
    else:
        z0, x0 = obj.z0 + obj.dz * r0, obj.x0 + obj.dx * c0
        result = DepthImage(output, dz=obj.dz, dx=obj.dx * step, z0=z0, x0=x0, velocity=obj.velocity,
                            history=obj.history, allow_non_finite=True)
        names = ("row", "column")
        axes = {"z0": z0, "x0": x0}
    step_parameters = {f"{names[0]}_begin": r0, f"{names[0]}_end": r1, f"{names[1]}_begin": c0,
                       f"{names[1]}_end": c1, f"{names[1]}_step": step}
    step_parameters.update(axes)
    step_parameters.update(parameters)
    result.history = obj.history + [_wrap.history_step("crop", step_parameters)]
    return result


def crop(obj, *, time=None, x=None, depth=None):
    """A copy of the part of ``obj`` within the given coordinate ranges.

    obj     a BScan (``time`` in s, ``x`` in m) or a DepthImage (``depth`` and ``x`` in m)
    time, depth, x   (start, end): start included, end excluded; None (or a None end) for the whole axis

    A range outside the record is a ValueError (never clamped). See the module docstring.
    """
    if isinstance(obj, BScan):
        if depth is not None:
            raise TypeError("crop: a BScan has time and x axes; depth=... is for a DepthImage")
        if time is not None and obj.dt is None:
            raise ValueError("crop: time=... needs the B-scan's dt (set b.dt)")
        if x is not None and obj.dx is None:
            raise ValueError("crop: x=... needs the B-scan's dx (set b.dx)")
        rows = _coordinate_range("time", time, obj.t0, obj.dt or 1.0, obj.n_samples, "s")
        columns = _coordinate_range("x", x, obj.x0, obj.dx or 1.0, obj.n_traces, "m")
        requested = {"time": None if time is None else list(time), "x": None if x is None else list(x)}
    elif isinstance(obj, DepthImage):
        if time is not None:
            raise TypeError("crop: a DepthImage has depth and x axes; time=... is for a BScan")
        rows = _coordinate_range("depth", depth, obj.z0, obj.dz, obj.n_z, "m")
        columns = _coordinate_range("x", x, obj.x0, obj.dx, obj.n_x, "m")
        requested = {"depth": None if depth is None else list(depth), "x": None if x is None else list(x)}
    else:
        raise TypeError(f"crop needs a BScan or a DepthImage (their coordinates place the range), got "
                        f"{type(obj).__name__}; slice a bare array with numpy")
    return _window(obj, rows, columns, 1, requested)


def slice_object(obj, key):
    """``obj[key]`` for BScan.__getitem__ and DepthImage.__getitem__."""
    if not isinstance(key, tuple):
        key = (key,)
    if len(key) > 2:
        raise IndexError(f"too many indices: a {type(obj).__name__} has 2 axes, got {len(key)}")
    key = key + (slice(None),) * (2 - len(key))
    rows_name, columns_name = ("samples", "traces") if isinstance(obj, BScan) else ("rows", "columns")
    n_rows, n_columns = obj.data.shape
    r0, r1, _ = _slice_range(rows_name, key[0], int(n_rows), True)
    c0, c1, step = _slice_range(columns_name, key[1], int(n_columns), False)
    return _window(obj, (r0, r1), (c0, c1), step, {})
