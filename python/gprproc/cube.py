"""Cubes: 3-D surveys of parallel lines (or a multichannel array's channels).

    c = gp.Cube(array3d, dt=..., dx=0.02, dy=0.02, x0=..., y0=..., t0=..., antenna_offset=..., antenna_height=...)
    c = gp.Cube.from_lines([line0, line1, ...], dy=0.02, y0=0.0)   # checks the lines share their geometry
    c.line(3)                                   # a BScan view of line 3 (no copy)
    c = gp.dewow(c, 1e-9)                       # every per-line operation takes a cube, line by line
    c = gp.remove_background(c, method="mean", scope="cube")     # the mean trace of every trace of every line
    cs = gp.time_slice(c, 3e-9, window=0.5e-9)  # a C-scan, .data (n_lines, n_traces)
    img3 = gp.migrate(c, method="kirchhoff", velocity=1.2e8, dz=4e-3, depth=0.3)   # 3-D migration
    cs = gp.depth_slice(img3, 0.06)

Samples are float32, C-contiguous, (n_lines, n_samples, n_traces), numpy on
the host or CuPy on the GPU (operations keep them where they are). Line j lies
at y = y0 + j dy; trace i at x = x0 + i dx; every line shares the B-scan
metadata (dt, t0, dx, x0, antenna offset and height, centre frequency).
"""
import functools
import math

import numpy as np

from . import _arrays, _core, _wrap
from .bscan import (BScan, DepthImage, _finite, _history, _non_negative, _optional_positive, _positive, _text,
                    _validated_property, _velocity, _where)


def _as_float32_3d(data, name):
    array = _arrays.as_float32(data, name, shape="(n_lines, n_samples, n_traces)")
    if array.ndim != 3:
        raise ValueError(f"{name} must be 3-D of shape (n_lines, n_samples, n_traces), got {array.ndim}-D of shape "
                         f"{tuple(array.shape)} (a single B-scan is a BScan; a cube of one line: a[None])")
    if array.size == 0:
        raise ValueError(f"{name} is empty: shape {tuple(array.shape)}")
    return array


def _check_finite_3d(array, name):
    for j in range(array.shape[0]):
        _arrays.check_finite(array[j], f"{name} line {j}")


class Cube:
    """A cube of parallel lines: float32 (n_lines, n_samples, n_traces) with SI metadata.

    Every B-scan attribute (dt, t0, dx, x0, antenna_offset, antenna_height,
    center_frequency, component, source) applies to every line; dy (> 0) and
    y0 place the lines. ``positions``: (n_lines, n_traces, 3) or None.
    """

    dt = BScan.dt
    t0 = BScan.t0
    dx = BScan.dx
    x0 = BScan.x0
    antenna_offset = BScan.antenna_offset
    antenna_height = BScan.antenna_height
    center_frequency = BScan.center_frequency
    component = BScan.component
    source = BScan.source
    dy = _validated_property("dy", lambda o, n, v: _positive(o, n, v, "m"), "line spacing (m), > 0")
    y0 = _validated_property("y0", lambda o, n, v: _finite(o, n, v, "m"), "position of line 0 (m)")

    _LINE_METADATA = BScan._METADATA
    _METADATA = BScan._METADATA + ("dy", "y0")

    def __init__(self, data, *, dy, y0=0.0, dt=None, t0=0.0, dx=None, x0=0.0, antenna_offset=0.0,
                 antenna_height=0.0, center_frequency=0.0, component="", source="", history=None, positions=None,
                 allow_non_finite=False):
        self.data = data
        if not allow_non_finite:
            _check_finite_3d(self._data, "Cube data")
        self.dt, self.t0, self.dx, self.x0 = dt, t0, dx, x0
        self.dy, self.y0 = dy, y0
        self.antenna_offset, self.antenna_height, self.center_frequency = antenna_offset, antenna_height, center_frequency
        self.component, self.source = component, source
        self.history = history
        self.positions = positions

    # -- samples --------------------------------------------------------------
    @property
    def data(self):
        """The samples, (n_lines, n_samples, n_traces) float32 C-contiguous (numpy or CuPy)."""
        return self._data

    @data.setter
    def data(self, value):
        array = _as_float32_3d(value, "Cube data")
        positions = getattr(self, "_positions", None)
        if positions is not None and positions.shape[:2] != (array.shape[0], array.shape[2]):
            raise ValueError("Cube data does not match its positions; set positions = None first")
        self._data = array

    def __array__(self, dtype=None, copy=None):
        array = _arrays.to_host(self._data)
        return array if dtype is None else array.astype(dtype)

    @property
    def shape(self):
        return tuple(self._data.shape)

    @property
    def n_lines(self):
        return int(self._data.shape[0])

    @property
    def n_samples(self):
        return int(self._data.shape[1])

    @property
    def n_traces(self):
        return int(self._data.shape[2])

    @property
    def device(self):
        return _where(self._data)

    @property
    def history(self):
        return self._history

    @history.setter
    def history(self, steps):
        self._history = _history("Cube", steps)

    @property
    def positions(self):
        """Per-trace antenna positions, (n_lines, n_traces, 3) float64 in m, or None."""
        return self._positions

    @positions.setter
    def positions(self, value):
        if value is None:
            self._positions = None
            return
        array = np.array(_arrays.to_host(value), dtype=np.float64, order="C")
        if array.shape != (self.n_lines, self.n_traces, 3):
            raise ValueError(f"Cube.positions must have shape (n_lines, n_traces, 3) = "
                             f"({self.n_lines}, {self.n_traces}, 3), got {array.shape}")
        if not np.isfinite(array).all():
            raise ValueError("Cube.positions must be finite")
        self._positions = array

    # -- axes -----------------------------------------------------------------
    @property
    def time(self):
        """Time of each sample (s): t0 + dt * i."""
        if self.dt is None:
            raise ValueError("Cube.dt is not set")
        return self.t0 + self.dt * np.arange(self.n_samples, dtype=np.float64)

    @property
    def x(self):
        """Position of each trace along the lines (m): x0 + dx * i."""
        if self.dx is None:
            raise ValueError("Cube.dx is not set")
        return self.x0 + self.dx * np.arange(self.n_traces, dtype=np.float64)

    @property
    def y(self):
        """Position of each line (m): y0 + dy * j."""
        return self.y0 + self.dy * np.arange(self.n_lines, dtype=np.float64)

    # -- lines ----------------------------------------------------------------
    def line_metadata(self):
        """The metadata every line shares, as BScan keywords."""
        return {name: getattr(self, name) for name in self._LINE_METADATA}

    def metadata(self):
        """The metadata as a dict of keyword arguments (Cube(data, **c.metadata()))."""
        return {name: getattr(self, name) for name in self._METADATA}

    def line(self, j):
        """Line ``j`` as a BScan sharing the cube's memory (no copy), with the
        cube's history and that line's positions."""
        j = int(j)
        if not 0 <= j < self.n_lines:
            raise IndexError(f"line {j} is outside the cube's {self.n_lines} lines (0 .. {self.n_lines - 1})")
        positions = None if self._positions is None else self._positions[j].copy()
        return BScan(self._data[j], history=self._history, positions=positions, allow_non_finite=True,
                     **self.line_metadata())

    def lines(self):
        """Every line as a BScan view, in order."""
        return [self.line(j) for j in range(self.n_lines)]

    @classmethod
    def from_lines(cls, lines, dy, y0=0.0):
        """A cube from B-scans of one shape and geometry (dt, t0, dx, x0, antenna
        offset and height, centre frequency, component); ValueError naming the
        first line that differs and how. The samples are copied."""
        lines = list(lines)
        if not lines:
            raise ValueError("a cube needs at least one line; got none")
        for j, b in enumerate(lines):
            if not isinstance(b, BScan):
                raise TypeError(f"line {j} is a {type(b).__name__}, not a BScan")
        first = lines[0]
        for j, b in enumerate(lines[1:], start=1):
            if b.shape != first.shape:
                raise ValueError(f"line {j} does not share the cube's geometry: shape {b.shape} differs from "
                                 f"line 0's {first.shape}")
            for name in ("dt", "t0", "dx", "x0", "antenna_offset", "antenna_height", "center_frequency"):
                a, c = getattr(b, name), getattr(first, name)
                if (a is None) != (c is None) or (a is not None and abs(a - c) > 1e-12 * max(abs(a), abs(c))):
                    raise ValueError(f"line {j} does not share the cube's geometry: {name} = {a} differs from "
                                     f"line 0's {c}")
            if b.component != first.component:
                raise ValueError(f"line {j} does not share the cube's geometry: component {b.component!r} differs "
                                 f"from line 0's {first.component!r}")
        xp = _arrays.array_module(first.data)
        data = xp.stack([b.data for b in lines])
        positions = None
        if all(b.positions is not None for b in lines):
            positions = np.stack([b.positions for b in lines])
        history = first.history + [_wrap.history_step("cube_from_lines", {"n_lines": len(lines), "dy": dy, "y0": y0})]
        return cls(data, dy=dy, y0=y0, history=history, positions=positions, allow_non_finite=True,
                   **first.metadata())

    def with_data(self, data, **changes):
        """A new Cube holding ``data`` (not copied) with this one's metadata,
        history and positions, and any metadata ``changes``."""
        values = self.metadata()
        values.update(changes)
        same = tuple(data.shape)[0::2] == (self.n_lines, self.n_traces)
        positions = self._positions.copy() if (same and self._positions is not None) else None
        return Cube(data, history=self._history, positions=positions, allow_non_finite=True, **values)

    def copy(self):
        return self.with_data(self._data.copy())

    def map_lines(self, operation, name="operation"):
        """Applies ``operation`` (BScan -> BScan) to each line and assembles a
        Cube (same array module). Each line is processed as it would be alone;
        one history step per operation (each line's parameters under "lines"
        where they differ)."""
        per_line = []
        before = len(self._history)
        out = None
        for j in range(self.n_lines):
            r = operation(self.line(j))
            if not isinstance(r, BScan):
                raise TypeError(f"{name} returned a {type(r).__name__} for line {j}, not a BScan")
            if out is None:
                out = _arrays.array_module(r.data).empty((self.n_lines,) + tuple(r.data.shape), dtype=np.float32)
                first_meta = r.metadata()
            elif tuple(r.data.shape) != tuple(out.shape[1:]) or r.metadata() != first_meta:
                raise ValueError(f"{name} gave line {j} a shape or geometry different from line 0's; it cannot be "
                                 "applied to a cube")
            out[j] = r.data
            per_line.append(r.history[before:])
        history = list(self._history) + _merge_steps(per_line)
        meta = dict(first_meta)
        positions = self._positions if tuple(out.shape[0::2]) == (self.n_lines, self.n_traces) else None
        return Cube(out, dy=self.dy, y0=self.y0, history=history,
                    positions=None if positions is None else positions.copy(), allow_non_finite=True, **meta)

    def __repr__(self):
        steps = ", ".join(step["operation"] for step in self._history) or "none"
        return (f"Cube(shape=({self.n_lines}, {self.n_samples}, {self.n_traces}), dt={self.dt}, dx={self.dx}, "
                f"dy={self.dy}, t0={self.t0}, x0={self.x0}, y0={self.y0}, antenna_offset={self.antenna_offset}, "
                f"antenna_height={self.antenna_height}, device={self.device!r}, history=[{steps}])")


def _merge_steps(per_line):
    """One step per operation: the lines' common steps, or each line's own
    parameters under "lines" where data-dependent values differ."""
    first = per_line[0]
    if all(h == first for h in per_line):
        return [dict(step) for step in first]
    merged = []
    for k, step in enumerate(first):
        merged.append({"operation": step["operation"],
                       "parameters": {"lines": [h[k]["parameters"] if k < len(h) else {} for h in per_line]},
                       "library_version": step["library_version"]})
    return merged


class DepthImage3D:
    """A 3-D depth image: float32 (n_lines, n_z, n_x), line j at y0 + j dy."""

    dz = DepthImage.dz
    z0 = DepthImage.z0
    dx = DepthImage.dx
    x0 = DepthImage.x0
    dy = Cube.dy
    y0 = Cube.y0
    velocity = _validated_property("velocity", _velocity,
                                   "velocity used (m/s), or {'layer_tops', 'velocities'}; None when unknown")

    def __init__(self, data, *, dz, dx, dy, z0=0.0, x0=0.0, y0=0.0, velocity=None, history=None,
                 allow_non_finite=False):
        self.data = data
        if not allow_non_finite:
            _check_finite_3d(self._data, "DepthImage3D data")
        self.dz, self.z0, self.dx, self.x0, self.dy, self.y0 = dz, z0, dx, x0, dy, y0
        self.velocity = velocity
        self.history = history

    @property
    def data(self):
        """The pixels, (n_lines, n_z, n_x) float32 C-contiguous (numpy or CuPy)."""
        return self._data

    @data.setter
    def data(self, value):
        self._data = _as_float32_3d(value, "DepthImage3D data")

    def __array__(self, dtype=None, copy=None):
        array = _arrays.to_host(self._data)
        return array if dtype is None else array.astype(dtype)

    @property
    def shape(self):
        return tuple(self._data.shape)

    @property
    def n_lines(self):
        return int(self._data.shape[0])

    @property
    def n_z(self):
        return int(self._data.shape[1])

    @property
    def n_x(self):
        return int(self._data.shape[2])

    @property
    def device(self):
        return _where(self._data)

    @property
    def history(self):
        return self._history

    @history.setter
    def history(self, steps):
        self._history = _history("DepthImage3D", steps)

    @property
    def depth(self):
        return self.z0 + self.dz * np.arange(self.n_z, dtype=np.float64)

    @property
    def x(self):
        return self.x0 + self.dx * np.arange(self.n_x, dtype=np.float64)

    @property
    def y(self):
        return self.y0 + self.dy * np.arange(self.n_lines, dtype=np.float64)

    def line(self, j):
        """Line ``j`` as a DepthImage sharing this image's memory."""
        j = int(j)
        if not 0 <= j < self.n_lines:
            raise IndexError(f"line {j} is outside the image's {self.n_lines} lines")
        return DepthImage(self._data[j], dz=self.dz, dx=self.dx, z0=self.z0, x0=self.x0, velocity=self.velocity,
                          history=self._history, allow_non_finite=True)

    def __repr__(self):
        return (f"DepthImage3D(shape=({self.n_lines}, {self.n_z}, {self.n_x}), dz={self.dz}, dx={self.dx}, "
                f"dy={self.dy}, z0={self.z0}, x0={self.x0}, y0={self.y0}, device={self.device!r})")


class CScan:
    """A plan-view slice: ``data`` (n_lines, n_traces) float32 with its x and y axes.

    ``axis`` is "depth" (``level`` in m) or "time" (s); ``measure`` is
    "envelope" (the Hilbert envelope at the level) or "rms" (of the samples in a
    window of ``thickness``)."""

    def __init__(self, data, *, dx, dy, x0=0.0, y0=0.0, axis="depth", level=0.0, thickness=0.0,
                 measure="envelope", history=None):
        self.data = np.ascontiguousarray(_arrays.to_host(data), dtype=np.float32)
        if self.data.ndim != 2:
            raise ValueError(f"CScan data must be 2-D (n_lines, n_traces), got shape {self.data.shape}")
        self.dx, self.dy = _positive("CScan", "dx", dx, "m"), _positive("CScan", "dy", dy, "m")
        self.x0, self.y0 = _finite("CScan", "x0", x0, "m"), _finite("CScan", "y0", y0, "m")
        self.axis, self.level, self.thickness, self.measure = axis, float(level), float(thickness), measure
        self.history = _history("CScan", history)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    @property
    def shape(self):
        return tuple(self.data.shape)

    @property
    def x(self):
        return self.x0 + self.dx * np.arange(self.data.shape[1], dtype=np.float64)

    @property
    def y(self):
        return self.y0 + self.dy * np.arange(self.data.shape[0], dtype=np.float64)

    def peak(self):
        """(x, y, value) of the largest value."""
        j, i = np.unravel_index(int(np.argmax(self.data)), self.data.shape)
        return float(self.x[i]), float(self.y[j]), float(self.data[j, i])

    def __repr__(self):
        unit = "m" if self.axis == "depth" else "s"
        return (f"CScan({self.measure} at {self.axis} {self.level:.6g} {unit}, shape={self.shape}, "
                f"dx={self.dx}, dy={self.dy}, x0={self.x0}, y0={self.y0})")


def _joined(data):
    """The (n_lines * n_rows, n_cols) view of a C-contiguous 3-D array (no copy)."""
    return data.reshape(data.shape[0] * data.shape[1], data.shape[2])


def _as_cube(obj, metadata):
    if isinstance(obj, Cube):
        if metadata:
            raise TypeError(f"metadata keywords {sorted(metadata)} are for bare arrays; set them on the Cube")
        return obj, False
    unknown = set(metadata) - set(Cube._METADATA)
    if unknown:
        raise TypeError(f"unknown keyword(s) {sorted(unknown)}; cube metadata keywords are {', '.join(Cube._METADATA)}")
    if "dy" not in metadata:
        raise ValueError("a bare 3-D array needs dy=... (line spacing, m) to be a cube")
    return Cube(obj, **metadata), True


def _cube_background(cube, bare, device):
    _wrap.check_device(device)
    out = _wrap.empty_like(cube.data)
    _core.remove_cube_mean(_joined(cube.data), _joined(out), cube.n_lines, device)
    if bare:
        return out
    new = cube.with_data(out)
    new.history = cube.history + [_wrap.history_step("remove_background", {"method": "mean", "scope": "cube"})]
    return new


def line_wise(operation):
    """Makes a B-scan operation take a Cube too: each line processed as it would
    be alone (numpy or CuPy, staying where it is), a Cube returned."""
    name = operation.__name__

    @functools.wraps(operation)
    def wrapper(obj, *args, **kwargs):
        if isinstance(obj, Cube):
            return obj.map_lines(lambda b: operation(b, *args, **kwargs), name)
        return operation(obj, *args, **kwargs)

    wrapper.__doc__ = (operation.__doc__ or "") + "\n\n    A Cube is processed line by line and returned as a Cube."
    return wrapper


def cube_aware_background(remove_background):
    """remove_background with cubes: line by line, or ``scope="cube"`` (method
    "mean" only) for the mean trace over every trace of every line."""

    @functools.wraps(remove_background)
    def wrapper(obj, method="mean", *args, scope="line", device="auto", **kwargs):
        if scope not in ("line", "cube"):
            raise ValueError(f"scope must be 'line' or 'cube', got {scope!r}")
        if scope == "cube":
            if method != "mean":
                raise ValueError(f"a cube-wide background is the mean trace only; method {method!r} works line by "
                                 "line (scope='line')")
            if args:
                raise TypeError("scope='cube' takes no further options")
            if isinstance(obj, Cube):
                return _cube_background(obj, False, device)
            metadata = {k: kwargs.pop(k) for k in list(kwargs) if k in Cube._METADATA}
            if kwargs:
                raise TypeError(f"unexpected keyword(s) {sorted(kwargs)} with scope='cube'")
            data = _as_float32_3d(obj, "cube")
            if not metadata:  # a bare stack needs no geometry for a mean
                _check_finite_3d(data, "cube")
                out = _wrap.empty_like(data)
                _wrap.check_device(device)
                _core.remove_cube_mean(_joined(data), _joined(out), data.shape[0], device)
                return out
            cube, bare = _as_cube(data, metadata)
            return _cube_background(cube, bare, device)
        if isinstance(obj, Cube):
            return obj.map_lines(lambda b: remove_background(b, method, *args, device=device, **kwargs),
                                 "remove_background")
        return remove_background(obj, method, *args, device=device, **kwargs)

    return wrapper


def time_slice(cube, time, window=None, *, device="auto", **metadata):
    """The C-scan of a cube at ``time`` (s, on its clock): the Hilbert envelope
    at that time, or with ``window`` (s) the RMS of the samples within
    time ± window / 2. ValueError when the time (or window) lies outside the record."""
    _wrap.check_device(device)
    cube, _ = _as_cube(cube, metadata)
    meta = _wrap.core_metadata(cube.line(0), "time_slice", require=("dt", "dx"))
    data = cube.data if window is None or window == 0 else _arrays.to_host(cube.data)
    r = _core.time_slice(_joined(data), cube.n_lines, meta, cube.dy, cube.y0, float(time),
                         0.0 if window is None else float(window), device)
    history = cube.history + [_wrap.history_step("time_slice", {"time": time, "window": window or 0.0,
                                                                  "measure": r["measure"]})]
    return CScan(r["data"], dx=r["dx"], dy=r["dy"], x0=r["x0"], y0=r["y0"], axis="time", level=r["level"],
                 thickness=r["thickness"], measure=r["measure"], history=history)


def depth_slice(image, depth, thickness=None, *, device="auto"):
    """The C-scan of a 3-D depth image at ``depth`` (m): the Hilbert envelope
    along depth at that depth, or with ``thickness`` (m) the RMS of the pixels
    within depth ± thickness / 2. ValueError when the depth (or window) lies
    outside the image."""
    _wrap.check_device(device)
    for name in ("data", "dz", "dx", "dy", "z0", "x0", "y0"):
        if not hasattr(image, name):
            raise TypeError(f"depth_slice needs a 3-D depth image (gp.migrate of a Cube), got {type(image).__name__}")
    data = _as_float32_3d(image.data, "image")
    if thickness:
        data = _arrays.to_host(data)
    grid = _core.ImageGrid(float(image.dz), float(image.z0), float(image.dx), float(image.x0))
    r = _core.depth_slice(_joined(data), data.shape[0], grid, float(image.dy), float(image.y0), float(depth),
                          0.0 if thickness is None else float(thickness), device)
    history = list(getattr(image, "history", [])) + [
        _wrap.history_step("depth_slice", {"depth": depth, "thickness": thickness or 0.0, "measure": r["measure"]})]
    return CScan(r["data"], dx=r["dx"], dy=r["dy"], x0=r["x0"], y0=r["y0"], axis="depth", level=r["level"],
                 thickness=r["thickness"], measure=r["measure"], history=history)


def detect_3d(image, *, threshold=8.0, relative_threshold=0.0, min_separation=0.1, min_depth=0.0, max_depth=None,
              edge_margin=0.0, max_targets=20, envelope=True, device="auto"):
    """Targets of a 3-D depth image (local maxima over 3 x 3 x 3 of the depth-wise
    envelope, the 2-D rule in three dimensions; docs/DETECTION.md): a
    Detections list of Target3D(x, y, depth, amplitude, snr)."""
    from .detect import Detections
    _wrap.check_device(device)
    data = _as_float32_3d(image.data, "image")
    grid = _core.ImageGrid(float(image.dz), float(image.z0), float(image.dx), float(image.x0))
    r = _core.detect_3d(_joined(data), data.shape[0], grid, float(image.dy), float(image.y0), float(threshold),
                        float(relative_threshold), float(min_separation), float(min_depth),
                        math.inf if max_depth is None else float(max_depth), float(edge_margin), int(max_targets),
                        bool(envelope), device)
    return Detections([Target3D(*t[:5]) for t in r["targets"]], r)


from collections import namedtuple  # noqa: E402

Target3D = namedtuple("Target3D", ["x", "y", "depth", "amplitude", "snr"])
Target3D.__doc__ = "A target of a 3-D image: x, y (m), depth (m below the surface), envelope amplitude, snr."


def cube_aware_detect(detect):
    """detect with 3-D images: a DepthImage3D (or any image whose data is 3-D) goes to detect_3d."""

    @functools.wraps(detect)
    def wrapper(image, *args, **kwargs):
        # A 3-D image object (ours, or any with dy and 3-D data); bare arrays go to detect.
        if isinstance(image, DepthImage3D) or (not isinstance(image, np.ndarray) and hasattr(image, "dy")
                                               and getattr(getattr(image, "data", None), "ndim", 0) == 3):
            return detect_3d(image, *args, **kwargs)
        return detect(image, *args, **kwargs)

    return wrapper


def migrate_lines(cube, migrate, **kwargs):
    """2-D migration of every line on its own (``migrate`` the B-scan
    migration, with its keywords): a DepthImage3D whose line j is
    migrate(cube.line(j))."""
    images = [migrate(cube.line(j), **kwargs) for j in range(cube.n_lines)]
    first = images[0]
    xp = _arrays.array_module(first.data)
    data = xp.stack([im.data for im in images])
    history = first.history + [_wrap.history_step("migrate_lines", {"lines": cube.n_lines, "dy": cube.dy,
                                                                     "y0": cube.y0})]
    return DepthImage3D(data, dz=first.dz, dx=first.dx, dy=cube.dy, z0=first.z0, x0=first.x0, y0=cube.y0,
                        velocity=first.velocity, history=history, allow_non_finite=True)


def cube_aware_migrate(migrate):
    """migrate with cubes: ``line_by_line=True`` migrates each line in 2-D; otherwise
    3-D migration (gprproc.migration_3d)."""

    @functools.wraps(migrate)
    def wrapper(obj, *args, line_by_line=False, **kwargs):
        if isinstance(obj, Cube):
            if args:
                raise TypeError("migrate of a Cube takes keyword arguments only (method=, velocity=, dz=, depth=)")
            if line_by_line:
                return migrate_lines(obj, migrate, **kwargs)
            from . import migration_3d
            return migration_3d.migrate_3d(obj, **kwargs)
        if line_by_line:
            raise TypeError("line_by_line applies to a Cube")
        return migrate(obj, *args, **kwargs)

    return wrapper
