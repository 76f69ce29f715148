"""Reading and writing B-scans and depth images (HDF5: our layout, gprMax output).

Errors: a file that is missing is FileNotFoundError; a file that exists but
cannot be used (not HDF5, truncated, no such group, dataset or component, wrong
dataset rank or type) is OSError; bad arguments (dx <= 0, NaN samples without
allow_non_finite) are ValueError. The messages are the C++ library's.
"""
import json
import os

from . import _arrays, _core
from .bscan import BScan, DepthImage
from .cube import Cube, DepthImage3D

__all__ = ["read", "read_gprmax", "read_image", "read_cube", "read_image_3d", "read_gprmax_cube", "write",
           "list_groups", "io_available"]


def io_available():
    """True when this build has the HDF5 I/O component. A compute-only build
    (GPRPROC_BUILD_IO=OFF, as on a GPU box without HDF5) runs every
    operation but reads and writes no files."""
    return bool(getattr(_core, "has_io", True))


def _io_path(path):
    """The path as a string, after checking that this build can read files."""
    if not io_available():
        raise RuntimeError("this gprproc build has no file I/O: its C++ core was built without the HDF5 "
                           "I/O component (GPRPROC_BUILD_IO=OFF); rebuild with HDF5 to read or write files")
    return os.fspath(path)


def _optional_dx(dx):
    if dx is None:
        return 0.0
    dx = float(dx)
    if not dx > 0.0:
        raise ValueError(f"dx must be positive (m), got {dx}")
    return dx


def _history_from_core(steps):
    history = []
    for operation, parameters_json, version in steps:
        try:
            parameters = json.loads(parameters_json) if parameters_json else {}
        except ValueError:
            parameters = parameters_json  # kept as written when it is not JSON
        history.append({"operation": operation, "parameters": parameters, "library_version": version})
    return history


def _history_to_core(history):
    steps = []
    for step in history:
        parameters = step.get("parameters", {})
        text = parameters if isinstance(parameters, str) else json.dumps(parameters, allow_nan=False)
        steps.append((step["operation"], text, step.get("library_version", "")))
    return steps


def _bscan_from_core(parts):
    meta = parts["metadata"]
    bscan = BScan.__new__(BScan)  # the samples were checked (or allowed) in C++: no second pass
    bscan._positions = None
    bscan._marks = None
    bscan._data = parts["data"]
    bscan.dt = meta.dt if meta.dt > 0 else None
    bscan.dx = meta.dx if meta.dx > 0 else None
    bscan.t0, bscan.x0 = meta.t0, meta.x0
    bscan.antenna_offset, bscan.antenna_height = meta.antenna_offset, meta.antenna_height
    bscan.center_frequency, bscan.component, bscan.source = meta.center_frequency, meta.component, meta.source
    bscan.history = _history_from_core(parts["history"])
    bscan.positions = parts["positions"]
    bscan.marks = parts.get("marks")
    return bscan


def _group_kind(path, group):
    """The gprproc kind of ``group`` (or of the file's only group of ours), or None."""
    if not _core.is_hdf5_file(path):
        return None
    ours = [g for g in _core.list_groups(path) if g["kind"] != "gprmax"]
    if group:
        name = "/" + str(group).strip("/")
        return next((g["kind"] for g in ours if g["name"] == name), None)
    return ours[0]["kind"] if len(ours) == 1 else None


def read(path, group=None, dx=None):
    """Reads a B-scan, recognising the file by its content: our HDF5 layout
    (``group`` names one of several B-scans; a cube group gives a Cube, a 3-D
    image group a DepthImage3D) or gprMax output (``dx``: trace spacing in m
    where the file lacks it)."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    kind = _group_kind(path, group)
    if kind == "cube":
        return read_cube(path, group)
    if kind == "depth_image_3d":
        return read_image_3d(path, group)
    return _bscan_from_core(_core.read(path, group or "", _optional_dx(dx)))


def _cube_from_core(parts):
    meta = parts["metadata"]
    return Cube(parts["data"], dy=parts["dy"], y0=parts["y0"], dt=meta.dt, t0=meta.t0, dx=meta.dx, x0=meta.x0,
                antenna_offset=meta.antenna_offset, antenna_height=meta.antenna_height,
                center_frequency=meta.center_frequency, component=meta.component, source=meta.source,
                history=_history_from_core(parts["history"]), positions=parts["positions"], allow_non_finite=True)


def read_cube(path, group=None, lines=None):
    """Reads a Cube written by ``write`` (default group: the file's cube).
    ``lines``: a slice of line indices (step 1) to read only those lines (an
    HDF5 hyperslab: the others are not read), e.g. ``lines=slice(10, 20)``."""
    path = _io_path(path)
    first, count = 0, 0
    if lines is not None:
        if not isinstance(lines, slice) or lines.step not in (None, 1):
            raise TypeError("lines must be a slice of consecutive line indices, e.g. slice(10, 20)")
        first = 0 if lines.start is None else int(lines.start)
        if first < 0 or (lines.stop is not None and int(lines.stop) <= first):
            raise ValueError(f"lines {lines} is empty or negative; give slice(first, stop) with 0 <= first < stop")
        count = 0 if lines.stop is None else int(lines.stop) - first
    return _cube_from_core(_core.read_cube(path, group or "", first, count, False))


def read_image_3d(path, group=None):
    """Reads a DepthImage3D written by ``write`` (default group: the file's 3-D image)."""
    path = _io_path(path)
    parts = _core.read_image_3d(path, group or "", False)
    grid, model = parts["grid"], parts["velocity"]
    velocity = (None if not model.velocities else model.velocities[0] if model.is_constant else
                {"layer_tops": list(model.layer_tops), "velocities": list(model.velocities)})
    return DepthImage3D(parts["data"], dz=grid.dz, z0=grid.z0, dx=grid.dx, x0=grid.x0, dy=parts["dy"],
                        y0=parts["y0"], velocity=velocity, history=_history_from_core(parts["history"]),
                        allow_non_finite=True)


def read_gprmax_cube(paths, dy, y0=0.0, component="Ez", dx=None):
    """A Cube from one gprMax output per survey line (merged files or numbered
    series), lines in the given order at y0 + j dy; the lines must share their
    geometry (ValueError naming the one that differs)."""
    paths = [_io_path(p) for p in paths]
    return _cube_from_core(_core.read_cube_from_lines(paths, float(dy), float(y0), str(component), _optional_dx(dx)))


def read_gprmax(path, component="Ez", dx=None, receiver=1, allow_non_finite=False):
    """Reads gprMax output: a merged B-scan (v3 ``*_merged.out``, v4
    ``*_merged.h5``), a single A-scan, or a numbered series ("runs/scene" reads
    runs/scene1.out ... sceneN.out). ``dx`` (m) overrides or supplies the trace
    spacing."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _bscan_from_core(_core.read_gprmax(path, str(component), int(receiver), _optional_dx(dx),
                                              bool(allow_non_finite)))


def read_image(path, group=None):
    """Reads a DepthImage written by ``write`` (default group: the file's image)."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    parts = _core.read_image(path, group or "")
    grid, model = parts["grid"], parts["velocity"]
    if not model.velocities:
        velocity = None
    elif model.is_constant:
        velocity = model.velocities[0]
    else:
        velocity = {"layer_tops": list(model.layer_tops), "velocities": list(model.velocities)}
    return DepthImage(parts["data"], dz=grid.dz, z0=grid.z0, dx=grid.dx, x0=grid.x0, velocity=velocity,
                      history=_history_from_core(parts["history"]), allow_non_finite=True)


def write(path, obj, group=None, overwrite=False, compression_level=4):
    """Writes a BScan (default group "bscan") or a DepthImage (default group
    "migrated") into an HDF5 file, adding the group to an existing file. The
    file is written under a temporary name and renamed when complete; an
    existing group is an error unless ``overwrite``. CuPy data is copied to the
    host for writing."""
    path = _io_path(path)
    if isinstance(obj, BScan):
        meta = _core.BScanMetadata(
            dt=obj.dt or 0.0, t0=obj.t0, dx=obj.dx or 0.0, x0=obj.x0, antenna_offset=obj.antenna_offset,
            antenna_height=obj.antenna_height, center_frequency=obj.center_frequency, component=obj.component,
            source=obj.source)
        marks = None if obj.marks is None else [int(k) for k in obj.marks]
        _core.write_bscan(path, _arrays.to_host(obj.data), meta, _history_to_core(obj.history), obj.positions,
                          group or "bscan", bool(overwrite), int(compression_level), marks)
    elif isinstance(obj, DepthImage):
        grid = _core.ImageGrid(dz=obj.dz, z0=obj.z0, dx=obj.dx, x0=obj.x0)
        if obj.velocity is None:
            model = _core.VelocityModel()
        elif isinstance(obj.velocity, dict):
            model = _core.VelocityModel.layered(obj.velocity["layer_tops"], obj.velocity["velocities"])
        else:
            model = _core.VelocityModel.constant(obj.velocity)
        _core.write_image(path, _arrays.to_host(obj.data), grid, model, _history_to_core(obj.history),
                          group or "migrated", bool(overwrite), int(compression_level))
    elif isinstance(obj, Cube):
        meta = _core.BScanMetadata(
            dt=obj.dt or 0.0, t0=obj.t0, dx=obj.dx or 0.0, x0=obj.x0, antenna_offset=obj.antenna_offset,
            antenna_height=obj.antenna_height, center_frequency=obj.center_frequency, component=obj.component,
            source=obj.source)
        data = _arrays.to_host(obj.data)
        _core.write_cube(path, data.reshape(data.shape[0] * data.shape[1], data.shape[2]), obj.n_lines, meta,
                         obj.dy, obj.y0, _history_to_core(obj.history), obj.positions, group or "cube",
                         bool(overwrite), int(compression_level))
    elif isinstance(obj, DepthImage3D):
        grid = _core.ImageGrid(dz=obj.dz, z0=obj.z0, dx=obj.dx, x0=obj.x0)
        data = _arrays.to_host(obj.data)
        _core.write_image_3d(path, data.reshape(data.shape[0] * data.shape[1], data.shape[2]), obj.n_lines, grid,
                             obj.dy, obj.y0, _velocity_model(obj.velocity), _history_to_core(obj.history),
                             group or "migrated_3d", bool(overwrite), int(compression_level))
    else:
        raise TypeError(f"write() takes a BScan or a DepthImage (or a Cube or a DepthImage3D), got {type(obj).__name__} "
                        "(wrap an array: gprproc.BScan(array, dt=..., dx=...))")


def _velocity_model(velocity):
    if velocity is None:
        return _core.VelocityModel()
    if isinstance(velocity, dict):
        return _core.VelocityModel.layered(velocity["layer_tops"], velocity["velocities"])
    return _core.VelocityModel.constant(velocity)


def list_groups(path):
    """The groups of a file: a list of {"name", "kind", "shape"} with kind
    "bscan", "depth_image", "cube", "depth_image_3d" (shape (n_lines, rows,
    columns)) or "gprmax"."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _core.list_groups(path)
