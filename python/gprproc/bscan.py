"""BScan and DepthImage: arrays with their SI metadata and processing history.

The samples are a numpy array (host) or a CuPy array (GPU) of float32,
C-contiguous: ``BScan.data`` has shape (n_samples, n_traces) (a row is one time
sample across all traces, a column is one trace) and ``DepthImage.data`` has
shape (n_z, n_x). A float32 C-contiguous array handed in is kept as is (no
copy: the object shares memory with the caller's array); other dtypes and
layouts are converted by value (complex, bool, object and string arrays are
refused: gprproc._arrays.as_float32).

Both can be cropped: ``b[i0:i1, j0:j1]`` by index, ``gprproc.crop(b,
time=(t_start, t_end), x=(x_start, x_end))`` by coordinate (python/gprproc/crop.py).
"""
import copy as _copy

import numpy as np

from . import _arrays, _numbers


def _finite(owner, name, value, unit):
    # TypeError for a bool (dt=True is not 1 s), a string or None; ValueError for NaN/Inf.
    return _numbers.real(f"{owner}.{name}", value, unit)


def _positive(owner, name, value, unit):
    value = _finite(owner, name, value, unit)
    if not value > 0.0:
        raise ValueError(f"{owner}.{name} must be positive ({unit}), got {value}")
    return value


def _non_negative(owner, name, value, unit):
    value = _finite(owner, name, value, unit)
    if value < 0.0:
        raise ValueError(f"{owner}.{name} must not be negative ({unit}), got {value}")
    return value


def _optional_positive(owner, name, value, unit):
    return None if value is None else _positive(owner, name, value, unit)


def _text(owner, name, value):
    if not isinstance(value, str):
        raise ValueError(f"{owner}.{name} must be a string, got {type(value).__name__}")
    return value


def _history(owner, steps):
    """A list of {"operation", "parameters", "library_version"} dicts (copied)."""
    if steps is None:
        return []
    checked = []
    for step in steps:
        if not isinstance(step, dict) or "operation" not in step:
            raise ValueError(f"{owner}.history entries must be dicts with 'operation', 'parameters' and "
                             f"'library_version', got {step!r}")
        checked.append({"operation": str(step["operation"]),
                        "parameters": _copy.deepcopy(step.get("parameters", {})),
                        "library_version": str(step.get("library_version", ""))})
    return checked


def _validated_property(name, check, doc):
    attribute = "_" + name

    def getter(self):
        return getattr(self, attribute)

    def setter(self, value):
        setattr(self, attribute, check(type(self).__name__, name, value))

    return property(getter, setter, doc=doc)


def _where(data):
    return "cuda" if _arrays.is_device_array(data) else "cpu"


class BScan:
    """A B-scan: float32 samples of shape (n_samples, n_traces) with metadata in SI units.

    ``BScan(data, dt=4.7e-12, dx=0.01, x0=0.1, t0=-0.94e-9, antenna_offset=0.04,
    antenna_height=0.03)``. ``dt`` and ``dx`` may be left None (unknown) for
    operations that do not need them; set, they must be positive. Every
    attribute is settable and checked (ValueError naming it).
    """

    dt = _validated_property("dt", lambda o, n, v: _optional_positive(o, n, v, "s"),
                             "sample interval (s), > 0; None when unknown")
    t0 = _validated_property("t0", lambda o, n, v: _finite(o, n, v, "s"), "time of sample 0 (s)")
    dx = _validated_property("dx", lambda o, n, v: _optional_positive(o, n, v, "m"),
                             "trace spacing (m), > 0; None when unknown")
    x0 = _validated_property("x0", lambda o, n, v: _finite(o, n, v, "m"), "position of trace 0 (m)")
    antenna_offset = _validated_property("antenna_offset", lambda o, n, v: _non_negative(o, n, v, "m"),
                                         "transmitter-receiver separation (m), >= 0")
    antenna_height = _validated_property("antenna_height", lambda o, n, v: _non_negative(o, n, v, "m"),
                                         "antenna height above the ground (m), >= 0")
    center_frequency = _validated_property("center_frequency", lambda o, n, v: _non_negative(o, n, v, "Hz"),
                                           "antenna centre frequency (Hz), 0 when unknown")
    component = _validated_property("component", _text, "field component, e.g. 'Ez' ('' when not applicable)")
    source = _validated_property("source", _text, "where the samples came from (file, instrument)")

    _METADATA = ("dt", "t0", "dx", "x0", "antenna_offset", "antenna_height", "center_frequency",
                 "component", "source")

    def __init__(self, data, *, dt=None, t0=0.0, dx=None, x0=0.0, antenna_offset=0.0, antenna_height=0.0,
                 center_frequency=0.0, component="", source="", history=None, positions=None,
                 marks=None, allow_non_finite=False):
        self.data = data
        if not allow_non_finite:
            _arrays.check_finite(self._data, "BScan data")
        self.dt, self.t0, self.dx, self.x0 = dt, t0, dx, x0
        self.antenna_offset, self.antenna_height, self.center_frequency = antenna_offset, antenna_height, center_frequency
        self.component, self.source = component, source
        self.history = history
        self.positions = positions
        self.marks = marks

    # -- samples --------------------------------------------------------------
    @property
    def data(self):
        """The samples, (n_samples, n_traces) float32 C-contiguous (numpy or CuPy)."""
        return self._data

    @data.setter
    def data(self, value):
        array = _arrays.as_float32_2d(value, "BScan data")
        positions = getattr(self, "_positions", None)
        if positions is not None and positions.shape[0] != array.shape[1]:
            raise ValueError(f"BScan data of {array.shape[1]} traces does not match the {positions.shape[0]} "
                             "positions; set positions = None (or to the new positions) first")
        self._data = array

    @property
    def shape(self):
        return tuple(self._data.shape)

    @property
    def n_samples(self):
        return int(self._data.shape[0])

    @property
    def n_traces(self):
        return int(self._data.shape[1])

    @property
    def device(self):
        """'cpu' for numpy data, 'cuda' for CuPy data."""
        return _where(self._data)

    # -- history and positions ----------------------------------------------
    @property
    def history(self):
        """Processing steps: a list of {"operation", "parameters", "library_version"}."""
        return self._history

    @history.setter
    def history(self, steps):
        self._history = _history("BScan", steps)

    @property
    def positions(self):
        """Per-trace antenna positions, (n_traces, 3) float64 in m, or None when unknown."""
        return self._positions

    @positions.setter
    def positions(self, value):
        if value is None:
            self._positions = None
            return
        raw = np.asarray(_arrays.to_host(value))
        if raw.dtype.kind not in "iuf":
            raise _arrays.ArrayTypeError(f"BScan.positions must be real numbers (m), got dtype {raw.dtype}"
                                         + (" (complex)" if raw.dtype.kind == "c" else ""))
        array = np.array(raw, dtype=np.float64, order="C")
        if array.shape != (self.n_traces, 3):
            raise ValueError(f"BScan.positions must have shape (n_traces, 3) = ({self.n_traces}, 3), "
                             f"got {array.shape}")
        if not np.isfinite(array).all():
            raise ValueError("BScan.positions must be finite")
        self._positions = array

    @property
    def marks(self):
        """Trace indices of the operator's marks (field files), an increasing int64 array, or None."""
        return self._marks

    @marks.setter
    def marks(self, value):
        if value is None:
            self._marks = None
            return
        raw = np.asarray(_arrays.to_host(value))
        if raw.ndim != 1 or not (raw.size == 0 or np.issubdtype(raw.dtype, np.integer)):
            raise ValueError(f"BScan.marks must be a 1-D array of integer trace indices, got {raw.dtype} {raw.shape}")
        array = raw.astype(np.int64)
        if array.size and (array.min() < 0 or array.max() >= self.n_traces or np.any(np.diff(array) <= 0)):
            raise ValueError(f"BScan.marks must be increasing trace indices in [0, {self.n_traces}), got {array}")
        self._marks = array

    # -- axes -----------------------------------------------------------------
    @property
    def time(self):
        """Time of each sample (s), t0 + dt * i: a float64 numpy array of n_samples (a fresh copy)."""
        return self.times()

    @property
    def x(self):
        """Position of each trace (m), x0 + dx * j: a float64 numpy array of n_traces (a fresh copy)."""
        return self.positions_x()

    def times(self):
        """Time of each sample (s): t0 + dt * i, a numpy array of n_samples."""
        if self.dt is None:
            raise ValueError("BScan.dt is not set: times() needs the sample interval")
        return self.t0 + self.dt * np.arange(self.n_samples, dtype=np.float64)

    def positions_x(self):
        """Position of each trace (m): x0 + dx * j, a numpy array of n_traces."""
        if self.dx is None:
            raise ValueError("BScan.dx is not set: positions_x() needs the trace spacing")
        return self.x0 + self.dx * np.arange(self.n_traces, dtype=np.float64)

    # -- whole-object helpers ------------------------------------------------
    def metadata(self):
        """The metadata as a dict of keyword arguments (BScan(data, **b.metadata()))."""
        return {name: getattr(self, name) for name in self._METADATA}

    def with_data(self, data, **changes):
        """A new BScan holding ``data`` (not copied) with this one's metadata,
        a copy of its history and positions, and any metadata ``changes``."""
        values = self.metadata()
        values.update(changes)
        same_traces = data.shape[1] == self.n_traces
        positions = self._positions if same_traces else None
        marks = self._marks if same_traces else None
        return BScan(data, history=self._history, positions=None if positions is None else positions.copy(),
                     marks=None if marks is None else marks.copy(), allow_non_finite=True, **values)

    def copy(self):
        """A deep copy: samples (same array module), metadata, history, positions."""
        return self.with_data(self._data.copy())

    # -- numpy interoperability and cropping ------------------------------
    def __array__(self, dtype=None, copy=None):
        """``np.asarray(b)``: the samples (host data; CuPy data must be copied
        to the host explicitly, as CuPy itself requires)."""
        return _host_array(self._data, dtype, copy, "BScan")

    def __getitem__(self, key):
        """``b[i0:i1, j0:j1]``: a cropped copy by index (steps along traces
        allowed, dx multiplied); see gprproc.crop."""
        from .crop import slice_object
        return slice_object(self, key)

    def __repr__(self):
        def number(value, unit):
            return "None" if value is None else f"{value:.6g} {unit}"

        steps = ", ".join(step["operation"] for step in self._history) or "none"
        text = (f"BScan(shape=({self.n_samples}, {self.n_traces}), dt={number(self.dt, 's')}, "
                f"dx={number(self.dx, 'm')}, t0={number(self.t0, 's')}, x0={number(self.x0, 'm')}, "
                f"antenna_offset={number(self.antenna_offset, 'm')}, "
                f"antenna_height={number(self.antenna_height, 'm')}")
        if self.center_frequency:
            text += f", center_frequency={number(self.center_frequency, 'Hz')}"
        if self.component:
            text += f", component={self.component!r}"
        if self.source:
            text += f", source={self.source!r}"
        return text + f", device={self.device!r}, history=[{steps}])"


def _host_array(data, dtype, copy, owner):
    if _arrays.is_device_array(data):
        raise TypeError(f"this {owner} holds CUDA (CuPy) data: copy it to the host explicitly "
                        f"(b.data.get() or cupy.asnumpy(b.data)) rather than through numpy.asarray")
    if copy is False and dtype is not None and np.dtype(dtype) != data.dtype:
        raise ValueError(f"{owner}: a copy is needed to make {np.dtype(dtype)} of the float32 samples")
    array = data if dtype is None else data.astype(dtype, copy=False)
    return array.copy() if copy else array


class _Coordinates(np.ndarray):
    """A coordinate array that may also be called, so that ``img.x`` (the
    array) and the older ``img.x()`` (a method) both give the positions."""

    def __call__(self):
        return np.asarray(self).copy()


def _coordinates(values):
    return np.asarray(values, dtype=np.float64).view(_Coordinates)


def _velocity(owner, name, value):
    """A constant velocity (float, m/s) or {"layer_tops": [...], "velocities": [...]}."""
    if value is None:
        return None
    if isinstance(value, dict):
        if set(value) != {"layer_tops", "velocities"}:
            raise ValueError(f"{owner}.{name} as a dict needs exactly the keys 'layer_tops' and 'velocities', "
                             f"got {sorted(value)}")
        tops = [_finite(owner, name + "['layer_tops']", t, "m") for t in value["layer_tops"]]
        velocities = [_positive(owner, name + "['velocities']", v, "m/s") for v in value["velocities"]]
        if len(tops) != len(velocities) or not tops:
            raise ValueError(f"{owner}.{name} needs one velocity per layer top, got {len(tops)} tops and "
                             f"{len(velocities)} velocities")
        if tops[0] != 0.0 or any(b <= a for a, b in zip(tops, tops[1:])):
            raise ValueError(f"{owner}.{name}: layer tops must start at 0 and increase, got {tops}")
        return {"layer_tops": tops, "velocities": velocities}
    return _positive(owner, name, value, "m/s")


class DepthImage:
    """A depth image (migrated B-scan): float32 of shape (n_z, n_x) on a regular grid.

    ``velocity`` is the one used to make it: a float (m/s) or a layered model
    {"layer_tops": [m, ...], "velocities": [m/s, ...]}.
    """

    dz = _validated_property("dz", lambda o, n, v: _positive(o, n, v, "m"), "depth step (m), > 0")
    z0 = _validated_property("z0", lambda o, n, v: _finite(o, n, v, "m"), "depth of row 0 below the surface (m)")
    dx = _validated_property("dx", lambda o, n, v: _positive(o, n, v, "m"), "column spacing (m), > 0")
    x0 = _validated_property("x0", lambda o, n, v: _finite(o, n, v, "m"), "position of column 0 (m)")
    velocity = _validated_property("velocity", _velocity,
                                   "velocity used (m/s), or {'layer_tops', 'velocities'}; None when unknown")

    def __init__(self, data, *, dz, dx, z0=0.0, x0=0.0, velocity=None, history=None, allow_non_finite=False):
        self.data = data
        if not allow_non_finite:
            _arrays.check_finite(self._data, "DepthImage data")
        self.dz, self.z0, self.dx, self.x0 = dz, z0, dx, x0
        self.velocity = velocity
        self.history = history

    @property
    def data(self):
        """The pixels, (n_z, n_x) float32 C-contiguous (numpy or CuPy)."""
        return self._data

    @data.setter
    def data(self, value):
        self._data = _arrays.as_float32_2d(value, "DepthImage data")

    @property
    def shape(self):
        return tuple(self._data.shape)

    @property
    def n_z(self):
        return int(self._data.shape[0])

    @property
    def n_x(self):
        return int(self._data.shape[1])

    @property
    def device(self):
        return _where(self._data)

    @property
    def history(self):
        return self._history

    @history.setter
    def history(self, steps):
        self._history = _history("DepthImage", steps)

    def depths(self):
        """Depth of each row (m): z0 + dz * i."""
        return self.z0 + self.dz * np.arange(self.n_z, dtype=np.float64)

    @property
    def depth(self):
        """Depth of each row (m), z0 + dz * i: a float64 numpy array (a fresh copy)."""
        return self.depths()

    @property
    def x(self):
        """Position of each column (m), x0 + dx * j: a float64 numpy array
        (a fresh copy); ``img.x()`` works too, as it did when x was a method."""
        return _coordinates(self.x0 + self.dx * np.arange(self.n_x, dtype=np.float64))

    def __array__(self, dtype=None, copy=None):
        """``np.asarray(img)``: the pixels (host data only, as for BScan)."""
        return _host_array(self._data, dtype, copy, "DepthImage")

    def __getitem__(self, key):
        """``img[i0:i1, j0:j1]``: a cropped copy by index (rows = depths); see gprproc.crop."""
        from .crop import slice_object
        return slice_object(self, key)

    def copy(self):
        return DepthImage(self._data.copy(), dz=self.dz, z0=self.z0, dx=self.dx, x0=self.x0,
                          velocity=_copy.deepcopy(self.velocity), history=self._history, allow_non_finite=True)

    def __repr__(self):
        steps = ", ".join(step["operation"] for step in self._history) or "none"
        if isinstance(self.velocity, dict):
            velocity = f"layered({len(self.velocity['velocities'])} layers)"
        else:
            velocity = "None" if self.velocity is None else f"{self.velocity:.6g} m/s"
        return (f"DepthImage(shape=({self.n_z}, {self.n_x}), dz={self.dz:.6g} m, z0={self.z0:.6g} m, "
                f"dx={self.dx:.6g} m, x0={self.x0:.6g} m, velocity={velocity}, device={self.device!r}, "
                f"history=[{steps}])")
