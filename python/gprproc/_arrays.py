"""Array-module plumbing shared by BScan, DepthImage and _wrap: numpy on the
host, CuPy on the device, chosen by what the caller passed (never by copying).
"""
import numpy as np

from . import _core


def is_device_array(a):
    """True for arrays living in GPU memory (CuPy, or anything exporting
    ``__cuda_array_interface__``)."""
    return not isinstance(a, np.ndarray) and hasattr(a, "__cuda_array_interface__")


def _cupy():
    try:
        import cupy
    except ImportError as error:  # a CUDA array from another library without CuPy
        raise ValueError(
            "a CUDA array was given but CuPy is not installed; gprproc holds device data "
            "as CuPy arrays (pip install cupy-cuda12x), or pass a numpy array") from error
    return cupy


def array_module(a):
    """numpy or cupy: the module that made (or can hold without a copy) array ``a``."""
    return _cupy() if is_device_array(a) else np


def as_float32(data, name="data", shape="(rows, columns)"):
    """``data`` as a float32, C-contiguous array of its own module: as is (no
    copy) when it is one already, else converted. ValueError for something
    that is not numeric (``shape`` names the expected shape in the message)."""
    xp = array_module(data)
    if xp is not np and not isinstance(data, xp.ndarray):
        data = xp.asarray(data)  # e.g. a PyTorch CUDA tensor: wrapped, not copied
    try:
        return xp.ascontiguousarray(data, dtype=xp.float32)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a numeric array of shape {shape}, "
                         f"got {type(data).__name__}: {error}") from error


def as_float32_2d(data, name="data", copy=False):
    """``data`` as a float32, C-contiguous, 2-D array of its own module.

    A float32 C-contiguous array is returned as is (no copy) unless ``copy``;
    other dtypes and layouts are converted. Raises ValueError for a rank other
    than 2, an empty array, or something that is not numeric.
    """
    array = as_float32(data, name)
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D of shape (n_samples, n_traces), got {array.ndim}-D "
                         f"of shape {tuple(array.shape)} (one trace: a[:, None])")
    if array.size == 0:
        raise ValueError(f"{name} is empty: shape {tuple(array.shape)}; it needs at least one row and one column")
    if copy and array is data:
        array = array.copy()
    return array


def check_finite(array, name="data"):
    """Raises ValueError naming the first NaN/Inf element of a 2-D float32 array."""
    if isinstance(array, np.ndarray):
        _core.check_finite(array, name)  # one pass, no temporary
        return
    xp = array_module(array)
    finite = xp.isfinite(array)
    if bool(finite.all()):
        return
    row, column = (int(i) for i in xp.argwhere(~finite)[0])
    value = float(array[row, column])
    raise ValueError(f"{name} holds a non-finite sample ({value}) at sample {row}, trace {column}; "
                     "clean the data or allow non-finite samples explicitly (allow_non_finite=True)")


def to_host(array):
    """A numpy array with the values of ``array`` (a copy only for device arrays)."""
    return _cupy().asnumpy(array) if is_device_array(array) else np.asarray(array)
