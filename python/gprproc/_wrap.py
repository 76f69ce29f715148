"""The one pattern every gprproc operation follows (for people adding operations).

An operation accepts a BScan, or a bare 2-D array plus its metadata as keywords,
and a ``device="auto" | "cpu" | "cuda"`` keyword. It allocates its output with
the input's array module (numpy in -> numpy out, CuPy in -> CuPy out, no host
copy), calls the view-level C++ binding (which releases the GIL), and returns a
new BScan with a history step appended -- or a bare array for bare input.

A same-shape operation is then three lines (python/gprproc/filters.py):

    from . import _core, _wrap

    def dewow(bscan, window, *, device="auto", **metadata):
        \"\"\"Remove the low-frequency 'wow' with a running mean over ``window`` seconds.\"\"\"
        return _wrap.apply("dewow", _core.dewow, bscan, metadata, parameters={"window": window},
                           args=(window,), device=device, require=("dt",))

where the binding is ``_core.dewow(input, output, metadata, window, device)``.

Anything else (an output of another shape, e.g. time-to-depth into a
DepthImage) uses the pieces directly (python/gprproc/migration.py):

    b, bare = _wrap.as_bscan(bscan, metadata)            # BScan, and whether input was bare
    meta = _wrap.core_metadata(b, "time_to_depth", require=("dt", "dx"))
    out = _wrap.empty(b.data, (n_z, n_x))                 # numpy or CuPy, float32
    _core.time_to_depth(b.data, out, meta, velocity_model, dz, depth, z0, device)
    return _wrap.image_result(b, out, bare, "time_to_depth", {"dz": dz, ...},
                              dz=dz, z0=z0, dx=b.dx, x0=b.x0, velocity=velocity)

History parameters must be JSON-able (numbers, strings, bools, lists, dicts;
numpy scalars and arrays are converted); they are stored in the file's history.
"""
import numpy as np

from . import _arrays, _core, _numbers
from .bscan import BScan, DepthImage

__all__ = ["as_bscan", "check_device", "core_metadata", "empty", "empty_like", "history_step", "result", "image_result",
           "apply", "velocity_model"]

_DEVICES = ("auto", "automatic", "cpu", "cuda", "gpu")


def as_bscan(obj, metadata=None, kernel_checks_finite=False):
    """``(bscan, bare)``: ``obj`` itself when it is a BScan (then ``metadata``
    keywords are not allowed), else a BScan made from the array ``obj`` and the
    metadata keywords (dt, dx, t0, x0, ...) without copying float32 C-contiguous
    data. ``bare`` says to return a bare array.

    ``kernel_checks_finite``: the caller's C++ kernel rejects NaN/Inf samples
    itself (host data: ValueError naming the sample, within its own pass over
    the data; device data: a flag the CUDA kernel raises, ValueError after the
    kernel), so a bare numpy or CuPy array is not scanned a second time here
    (on a GPU the extra scan cost more than the kernel at a field B-scan)."""
    metadata = dict(metadata or {})
    if isinstance(obj, BScan):
        if metadata:
            raise TypeError(f"metadata keywords {sorted(metadata)} are for bare arrays; "
                            "set them on the BScan instead (b.dt = ...)")
        return obj, False
    if isinstance(obj, DepthImage):
        raise TypeError("expected a BScan or a 2-D array, got a DepthImage")
    unknown = set(metadata) - set(BScan._METADATA)
    if unknown:
        raise TypeError(f"unknown keyword(s) {sorted(unknown)}; B-scan metadata keywords are "
                        f"{', '.join(BScan._METADATA)}")
    skip_scan = kernel_checks_finite and (isinstance(obj, np.ndarray) or _arrays.is_device_array(obj))
    return BScan(obj, allow_non_finite=skip_scan, **metadata), True


def core_metadata(bscan, operation="this operation", require=()):
    """The B-scan's metadata as ``_core.BScanMetadata`` for a binding. Names in
    ``require`` (e.g. ("dt", "dx")) must be set, else ValueError saying so."""
    for name in require:
        if getattr(bscan, name) is None:
            raise ValueError(f"{operation} needs the B-scan's {name}: pass {name}=... with a bare array, "
                             f"or set it on the BScan (b.{name} = ...)")
    return _core.BScanMetadata(
        dt=bscan.dt or 0.0, t0=bscan.t0, dx=bscan.dx or 0.0, x0=bscan.x0, antenna_offset=bscan.antenna_offset,
        antenna_height=bscan.antenna_height, center_frequency=bscan.center_frequency,
        component=bscan.component, source=bscan.source)


def empty_like(data):
    """An uninitialised float32 array like ``data``, of the same module (numpy or CuPy)."""
    return _arrays.array_module(data).empty_like(data, dtype=np.float32, order="C")


def empty(data, shape):
    """An uninitialised float32 C-order array of ``shape`` in the module of ``data``."""
    return _arrays.array_module(data).empty(tuple(int(n) for n in shape), dtype=np.float32, order="C")


def check_device(device):
    """Validates the ``device`` keyword early (the C++ side resolves it)."""
    if not isinstance(device, str) or device.lower() not in _DEVICES:
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {device!r}")
    return device


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray) or _arrays.is_device_array(value):
        return _jsonable(_arrays.to_host(value).tolist())
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def history_step(operation, parameters):
    """One history entry: {"operation", "parameters", "library_version"}."""
    return {"operation": operation, "parameters": _jsonable(dict(parameters or {})),
            "library_version": _core.version}


def result(bscan, output, bare, operation, parameters, **metadata_changes):
    """The operation's return value: ``output`` itself for bare input, else a
    new BScan holding ``output`` (not copied) with the input's metadata (plus
    ``metadata_changes``, e.g. t0=... for a time-zero shift) and history plus
    this step."""
    if bare:
        return output
    new = bscan.with_data(output, **metadata_changes)
    new.history = bscan.history + [history_step(operation, parameters)]
    return new


def image_result(bscan, output, bare, operation, parameters, **image):
    """Like ``result`` for an operation that makes a DepthImage; ``image`` holds
    DepthImage's keywords (dz, dx, z0, x0, velocity)."""
    if bare:
        return output
    return DepthImage(output, history=bscan.history + [history_step(operation, parameters)],
                      allow_non_finite=True, **image)


def velocity_model(velocity):
    """``_core.VelocityModel`` from a float (m/s) or {"layer_tops", "velocities"}."""
    if isinstance(velocity, dict):
        return _core.VelocityModel.layered(_numbers.reals("velocity['layer_tops']", velocity["layer_tops"], "m"),
                                           _numbers.reals("velocity['velocities']", velocity["velocities"], "m/s"))
    return _core.VelocityModel.constant(_numbers.real("velocity", velocity, "m/s"))


def apply(operation, kernel, obj, metadata, *, parameters, args=(), device="auto", require=(),
          metadata_changes=None, kernel_checks_finite=False):
    """Runs a same-shape operation: ``kernel(input, output, core_metadata, *args, device)``.

    operation   name recorded in the history, e.g. "dewow"
    kernel      the _core binding
    obj         a BScan or a bare 2-D array
    metadata    the caller's metadata keywords (only with a bare array)
    parameters  dict recorded in the history
    args        the binding's positional parameters after the metadata
    require     metadata names the operation cannot do without ("dt", "dx")
    metadata_changes  metadata of the result that differs from the input's
    kernel_checks_finite  the kernel rejects NaN/Inf host input itself (see as_bscan)
    """
    check_device(device)
    bscan, bare = as_bscan(obj, metadata, kernel_checks_finite)
    meta = core_metadata(bscan, operation, require)
    output = empty_like(bscan.data)
    kernel(bscan.data, output, meta, *args, device)
    return result(bscan, output, bare, operation, parameters, **(metadata_changes or {}))
