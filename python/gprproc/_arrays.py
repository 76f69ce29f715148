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


class ArrayTypeError(TypeError, ValueError):
    """An array whose element type cannot become float32 samples without
    losing or inventing information (complex, bool, object, string, datetime,
    structured; integers too large for float32). A TypeError, and a ValueError
    for code that catches the package's usual ValueError."""


# dtype kinds that are never samples, with what to say about them.
_REFUSED_KINDS = {
    "c": "complex: the imaginary part would be dropped (pass a.real, np.abs(a) or the two parts separately)",
    "b": "bool: True/False are not samples (pass a.astype(np.float32) if 0/1 is meant)",
    "O": "object: the elements are Python objects, not numbers",
    "U": "strings (unicode), not numbers",
    "S": "bytes strings, not numbers",
    "M": "datetime64, not samples",
    "m": "timedelta64, not samples",
    "V": "a structured or void type, not plain numbers",
}

# Integers float32 holds exactly: |n| <= 2^24.
_FLOAT32_EXACT_INTEGER = 2 ** 24


def _check_convertible(data, xp, name, shape):
    """Refuses element types that float32 cannot hold faithfully; a value check
    for wide integers and for float64 beyond float32's range."""
    if isinstance(data, np.ma.MaskedArray) and np.ma.is_masked(data):
        raise ArrayTypeError(f"{name} is a masked array with masked elements: converting it would keep the "
                             "values under the mask; fill them first (a.filled(value))")
    dtype = getattr(data, "dtype", None)
    if dtype is None:
        return
    dtype = np.dtype(dtype)
    if dtype.kind in _REFUSED_KINDS:
        raise ArrayTypeError(f"{name} must be a real numeric array of shape {shape}, got dtype {dtype}: "
                             f"{_REFUSED_KINDS[dtype.kind]}")
    size = int(np.prod(data.shape)) if hasattr(data, "shape") else 0
    if size == 0:
        return
    if dtype.kind in "iu" and dtype.itemsize > 2:
        largest = int(xp.max(xp.abs(data.astype(np.float64)))) if dtype.kind == "i" else int(xp.max(data))
        if largest > _FLOAT32_EXACT_INTEGER:
            raise ArrayTypeError(f"{name}: integer samples up to {largest} ({dtype}) cannot all be held exactly "
                                 f"in float32 (exact up to 2^24 = {_FLOAT32_EXACT_INTEGER}); scale them first, "
                                 "e.g. a.astype(np.float64) / scale")


def _check_range(original, converted, xp, name):
    """float64 (or wider) values beyond float32's range became +-inf: refused."""
    if np.dtype(original.dtype).kind != "f" or np.dtype(original.dtype).itemsize <= 4 or original.size == 0:
        return
    if bool(xp.isfinite(converted).all()):
        return  # the usual case: one pass over the result
    overflow = xp.isinf(converted) & xp.isfinite(original)
    if bool(overflow.any()):
        largest = float(xp.max(xp.abs(original[overflow])))
        raise ArrayTypeError(f"{name}: values up to {largest:.6g} are beyond float32's range "
                             f"({float(np.finfo(np.float32).max):.6g}) and would become infinite; scale them first")


def as_float32(data, name="data", shape="(rows, columns)"):
    """``data`` as a float32, C-contiguous array of its own module: as is (no
    copy) when it is one already, else converted by value (any byte order or
    strides; float64 rounded to the nearest float32; integers only where
    float32 holds them exactly). ArrayTypeError (TypeError and ValueError)
    for complex, bool, object, string, datetime or structured data, and for
    integers or float64 values float32 cannot hold; ValueError for something
    that is not an array of numbers (``shape`` names the expected shape in
    the message). Nothing is converted with only a warning."""
    xp = array_module(data)
    if xp is not np and not isinstance(data, xp.ndarray):
        data = xp.asarray(data)  # e.g. a PyTorch CUDA tensor: wrapped, not copied
    if xp is np and not isinstance(data, np.ndarray):
        try:
            data = np.asarray(data)  # lists, tuples, array-likes: their own dtype first, checked below
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name} must be a numeric array of shape {shape}, "
                             f"got {type(data).__name__}: {error}") from error
    _check_convertible(data, xp, name, shape)
    try:
        if xp is np:
            with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below, as an error
                converted = np.ascontiguousarray(data, dtype=np.float32)
        else:
            converted = xp.ascontiguousarray(data, dtype=xp.float32)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a numeric array of shape {shape}, "
                         f"got {type(data).__name__}: {error}") from error
    if converted is not data:
        _check_range(data, converted, xp, name)
    return converted


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
