"""3-D migration of cubes (many parallel lines) into 3-D depth images.

    img3 = gp.migrate_3d(cube, method="kirchhoff", velocity=1.0e8, dz=5e-3, depth=0.3, aperture=0.3)
    img3 = gp.migrate_3d(array3d, method="phase_shift", velocity=1.0e8, dz=5e-3, depth=0.3,
                         dt=50e-12, dx=0.02, dy=0.02, antenna_offset=0.04, antenna_height=0.03)
    img3.data                          # (n_lines, n_z, n_x) float32, numpy or CuPy as the input
    img3.dx, img3.dy, img3.dz, img3.x0, img3.y0, img3.z0, img3.velocity, img3.history
    plan = gp.Kirchhoff3DPlan(cube, velocity=1.0e8, dz=5e-3, depth=0.3, aperture=0.3)   # once per geometry
    img3 = plan.execute(cube2)

A cube is any object with ``.data`` (n_lines, n_samples, n_traces) and the
attributes ``dt t0 dx x0 dy y0 antenna_offset antenna_height`` (and
optionally ``center_frequency`` and ``history``), e.g. ``gprproc.Cube``; or a
bare 3-D array with those as keywords. Line j lies at y0 + j dy, trace i at
x0 + i dx; the transmitter and receiver lie along x (the lines), antenna_offset
apart. Algorithms and references: docs/MIGRATION.md, "3-D migration".
"""
import copy as _copy
import math

import numpy as np

from . import _arrays, _core, _wrap
from .cube import DepthImage3D

_METHODS = ("kirchhoff", "phase_shift", "stolt")
_GEOMETRY = ("dt", "t0", "dx", "x0", "dy", "y0", "antenna_offset", "antenna_height")
_KIRCHHOFF_OPTIONS = {"z0": 0.0, "max_angle": math.radians(70.0), "taper": 0.25, "derivative": True,
                      "obliquity_weights": True, "oversampling": 4, "antialias": False, "tile_lines": None,
                      "tile_traces": None, "tile_memory": 256 * 2**20}
_PHASE_SHIFT_OPTIONS = {"z0": 0.0, "time_padding": 2.0, "trace_padding": 2.0, "line_padding": 2.0,
                        "correct_offset": True, "dip_moveout": True}


def _velocity_record(velocity):
    if isinstance(velocity, dict):
        return {"layer_tops": [float(t) for t in velocity["layer_tops"]],
                "velocities": [float(v) for v in velocity["velocities"]]}
    return float(velocity)


class _CubeGeometry:
    """The samples and geometry of a cube-like object or of a bare array with keywords."""

    def __init__(self, data_or_cube, metadata):
        given = {k: v for k, v in metadata.items() if v is not None}
        if hasattr(data_or_cube, "data") and all(hasattr(data_or_cube, name) for name in _GEOMETRY):
            if given:
                raise TypeError(f"metadata keywords {sorted(given)} are for bare arrays; the cube carries its own "
                                "(set them on it instead)")
            source = data_or_cube
            self.bare = False
            self.data = source.data
            values = {name: getattr(source, name) for name in _GEOMETRY}
            self.center_frequency = getattr(source, "center_frequency", None)
            self.history = list(getattr(source, "history", None) or [])
        else:
            if hasattr(data_or_cube, "data") and not (isinstance(data_or_cube, np.ndarray) or
                                                      _arrays.is_device_array(data_or_cube)):
                missing = [name for name in _GEOMETRY if not hasattr(data_or_cube, name)]
                raise TypeError(f"a cube needs the attributes {', '.join(_GEOMETRY)}; this "
                                f"{type(data_or_cube).__name__} lacks {', '.join(missing)}")
            self.bare = True
            self.data = data_or_cube
            values = {"t0": 0.0, "x0": 0.0, "y0": 0.0, "antenna_offset": 0.0, "antenna_height": 0.0,
                      "dt": None, "dx": None, "dy": None}
            values.update(given)
            self.center_frequency = None
            self.history = []
        for name in ("dt", "dx", "dy"):
            if values[name] is None:
                raise ValueError(f"3-D migration needs {name} (s for dt, m for dx and dy): pass {name}=... with a "
                                 "bare array, or set it on the cube")
        self.geometry = {name: float(values[name]) for name in _GEOMETRY}
        self.data = _arrays.as_float32(self.data, "cube data", "(n_lines, n_samples, n_traces)")
        if self.data.ndim != 3:
            hint = " (one B-scan is not a cube: stack the lines, numpy.stack(lines))" if self.data.ndim == 2 else ""
            raise ValueError(f"3-D migration needs cube data of shape (n_lines, n_samples, n_traces), got "
                             f"{self.data.ndim}-D data of shape {tuple(self.data.shape)}{hint}")
        if self.data.size == 0:
            raise ValueError(f"cube data is empty: shape {tuple(self.data.shape)}")

    def core_metadata(self):
        g = self.geometry
        return _core.BScanMetadata(dt=g["dt"], t0=g["t0"], dx=g["dx"], x0=g["x0"], antenna_offset=g["antenna_offset"],
                                   antenna_height=g["antenna_height"],
                                   center_frequency=float(self.center_frequency or 0.0),
                                   component="", source="")


def _options(method, options):
    defaults = _KIRCHHOFF_OPTIONS if method == "kirchhoff" else _PHASE_SHIFT_OPTIONS  # Stolt: phase shift's
    unknown = set(options) - set(defaults)
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)} for 3-D {method}; its options are "
                        f"{', '.join(sorted(defaults))}")
    merged = dict(defaults)
    merged.update(options)
    return merged


def _whole(name, value):
    if value is None:
        return 0
    if not (int(value) == value and value >= 1):
        raise ValueError(f"{name} must be a whole number >= 1 (or None), got {value!r}")
    return int(value)


class Kirchhoff3DPlan:
    """3-D Kirchhoff migration set up once for cubes of one shape and geometry
    (``like``: a cube, or a 3-D array with the metadata keywords) and executed
    many times; ``migrate_3d``'s keywords. ``device`` is resolved here."""

    def __init__(self, like, *, velocity, dz, depth, aperture=None, device="auto", dt=None, dx=None, dy=None,
                 t0=None, x0=None, y0=None, antenna_offset=None, antenna_height=None, **options):
        _wrap.check_device(device)
        metadata = dict(dt=dt, dx=dx, dy=dy, t0=t0, x0=x0, y0=y0, antenna_offset=antenna_offset,
                        antenna_height=antenna_height)
        cube = like if isinstance(like, _CubeGeometry) else _CubeGeometry(like, metadata)
        o = _options("kirchhoff", options)
        self._geometry = cube.geometry
        self._shape = tuple(int(n) for n in cube.data.shape)
        self._velocity = _velocity_record(velocity)
        self._parameters = {"method": "kirchhoff", "dz": float(dz), "depth": float(depth), "z0": float(o["z0"]),
                            "velocity": self._velocity,
                            "aperture": "whole cube" if aperture is None else float(aperture),
                            **{k: o[k] for k in ("max_angle", "taper", "derivative", "obliquity_weights",
                                                 "oversampling", "antialias")}}
        self._plan = _core.Kirchhoff3DPlan(
            cube.core_metadata(), self._geometry["dy"], self._geometry["y0"], *self._shape,
            _wrap.velocity_model(velocity), float(dz), float(depth), float(o["z0"]),
            math.inf if aperture is None else float(aperture), float(o["max_angle"]), float(o["taper"]),
            bool(o["derivative"]), bool(o["obliquity_weights"]), int(o["oversampling"]), bool(o["antialias"]),
            _whole("tile_lines", o["tile_lines"]), _whole("tile_traces", o["tile_traces"]), float(o["tile_memory"]),
            device)
        self._z0 = float(o["z0"])
        self._dz = float(dz)

    @property
    def shape(self):
        """(n_lines, n_z, n_x) of the images it makes."""
        return (self._plan.n_lines, self._plan.n_z, self._plan.n_x)

    @property
    def device(self):
        return self._plan.device

    @property
    def contributions(self):
        """Pixel-trace pairs with a non-zero weight per execute."""
        return self._plan.contributions

    @property
    def tiles(self):
        """Image lines per block and columns per tile, and the buffers' bytes per tile."""
        return {"tile_lines": self._plan.tile_lines, "tile_traces": self._plan.tile_traces,
                "halo_lines": self._plan.halo_lines, "halo_traces": self._plan.halo_traces,
                "tile_bytes": self._plan.tile_bytes, "table_bytes": self._plan.table_bytes}

    def execute(self, data_or_cube, **metadata):
        cube = _CubeGeometry(data_or_cube, metadata)
        return self._run(cube)

    def _run(self, cube):
        if tuple(cube.data.shape) != self._shape:
            raise ValueError(f"the plan was made for cubes of shape {self._shape}, got {tuple(cube.data.shape)}")
        for name, value in self._geometry.items():
            if cube.geometry[name] != value:
                raise ValueError(f"the plan was made for {name} = {value}, the cube has {cube.geometry[name]}; "
                                 "make a plan for this geometry")
        output = _wrap.empty(cube.data, self.shape)
        self._plan.execute(cube.data, output)
        return _image(cube, output, self._dz, self._z0, self._velocity, self._parameters)


def _image(cube, output, dz, z0, velocity, parameters):
    g = cube.geometry
    return DepthImage3D(output, dz=dz, dx=g["dx"], dy=g["dy"], z0=z0, x0=g["x0"], y0=g["y0"], velocity=velocity,
                        history=cube.history + [_wrap.history_step("migrate_3d", parameters)], allow_non_finite=True)


def migrate_3d(data_or_cube, *, method="kirchhoff", velocity=None, dz=None, depth=None, aperture=None, dt=None,
               dx=None, dy=None, t0=None, x0=None, y0=None, antenna_offset=None, antenna_height=None, device="auto",
               **options):
    """Migrate a cube (n_lines, n_samples, n_traces) into a DepthImage3D (n_lines, n_z, n_x).

    method      "kirchhoff" (constant or layered velocity, circular aperture),
                "phase_shift" (3-D Gazdag, layered v(z), 3-D FFT) or "stolt" (3-D f-k, constant velocity)
    velocity    m/s, or {"layer_tops": [m...], "velocities": [m/s...]} (interval velocities)
    dz, depth   depth step and deepest row (m); rows z0, z0 + dz, ... <= depth
    aperture    Kirchhoff: radius (m) around each image point; None for the whole cube
    dt dx dy t0 x0 y0 antenna_offset antenna_height
                the geometry of a bare array (t0, x0, y0, offset and height default to 0);
                a cube object carries its own
    options     Kirchhoff: z0, max_angle (radians), taper, derivative, obliquity_weights,
                oversampling, antialias, tile_lines, tile_traces, tile_memory (bytes);
                phase shift and Stolt: z0, time_padding, trace_padding, line_padding, correct_offset,
                dip_moveout (docs/MIGRATION.md, "3-D migration")

    The image is numpy for numpy input and CuPy for CuPy input.
    """
    _wrap.check_device(device)
    if method not in _METHODS:
        raise ValueError(f"3-D migration method must be one of {', '.join(_METHODS)}, got {method!r}")
    if velocity is None or dz is None or depth is None:
        raise ValueError("3-D migration needs velocity=..., dz=... and depth=...")
    metadata = dict(dt=dt, dx=dx, dy=dy, t0=t0, x0=x0, y0=y0, antenna_offset=antenna_offset,
                    antenna_height=antenna_height)
    cube = _CubeGeometry(data_or_cube, metadata)
    if method == "kirchhoff":
        plan = Kirchhoff3DPlan(cube, velocity=velocity, dz=dz, depth=depth, aperture=aperture, device=device,
                               **options)
        return plan._run(cube)
    if aperture is not None:
        raise ValueError(f"aperture is a Kirchhoff option; 3-D {method} uses the whole cube")
    if method == "stolt" and isinstance(velocity, dict):
        raise ValueError("3-D Stolt migration needs a constant velocity; use kirchhoff or phase_shift for v(z)")
    o = _options("phase_shift", options)
    n_z = _core.depth_rows(float(dz), float(depth), float(o["z0"]))
    n_lines, _, n_traces = (int(n) for n in cube.data.shape)
    output = _wrap.empty(cube.data, (n_lines, n_z, n_traces))
    g = cube.geometry
    kernel, model = ((_core.migrate_stolt_3d, float(velocity)) if method == "stolt" else
                     (_core.migrate_phase_shift_3d, _wrap.velocity_model(velocity)))
    kernel(cube.data, output, cube.core_metadata(), g["dy"], g["y0"], model, float(dz), float(depth), float(o["z0"]),
           float(o["time_padding"]), float(o["trace_padding"]), float(o["line_padding"]), bool(o["correct_offset"]),
           bool(o["dip_moveout"]), device)
    parameters = {"method": method, "dz": float(dz), "depth": float(depth), "z0": float(o["z0"]),
                  "velocity": _velocity_record(velocity),
                  **{k: o[k] for k in ("time_padding", "trace_padding", "line_padding", "correct_offset",
                                       "dip_moveout")}}
    return _image(cube, output, float(dz), float(o["z0"]), _velocity_record(velocity), parameters)
