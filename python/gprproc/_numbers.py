"""Checked conversion of keyword arguments: every numeric, integer and flag
keyword of the package goes through one of these, so that ``dt=True`` is not
1 s, ``window_traces=20.7`` is not 20 traces and ``antialias="no"`` is not
True. Each raises TypeError (a bool, a string, None, an array where one number
is needed) or ValueError (not finite, not whole) naming the keyword. The
TypeError is a ParameterTypeError, also a ValueError, so code that catches the
package's ValueError for bad parameters keeps working.
"""
import math
import numbers

import numpy as np

__all__ = ["ParameterTypeError", "real", "optional_real", "integer", "optional_integer", "flag", "reals"]


class ParameterTypeError(TypeError, ValueError):
    """A keyword of the wrong type (a bool or string for a number, ...)."""


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _scalar(value):
    """A 0-d numpy array as its scalar (np.float64(1.0) and np.array(1.0) alike)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def real(name, value, unit=None, *, finite=True):
    """``value`` as a float: ints, floats and numpy numbers; not bools, strings,
    None or sequences. ``finite=False`` lets +-inf through (not NaN)."""
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        units = f" ({unit})" if unit else ""
        raise ParameterTypeError(f"'{name}' must be a number{units}, got {type(value).__name__} {_describe(value)}")
    number = float(value)
    if math.isnan(number) or (finite and math.isinf(number)):
        raise ValueError(f"'{name}' must be a finite number, got {number}")
    return number


def optional_real(name, value, unit=None, *, finite=True):
    """None stays None (for keywords whose None means a default), else ``real``."""
    return None if value is None else real(name, value, unit, finite=finite)


def integer(name, value, *, minimum=None):
    """``value`` as an int: Python and numpy integers, and floats that are whole
    (20.0); not bools, strings, None or 20.7."""
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)):
        raise ParameterTypeError(f"'{name}' must be an integer, got bool {value!r}")
    if isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, numbers.Real):
        if not (math.isfinite(float(value)) and float(value) == math.floor(float(value))):
            raise ValueError(f"'{name}' must be a whole number, got {value!r}")
        number = int(value)
    else:
        raise ParameterTypeError(f"'{name}' must be an integer, got {type(value).__name__} {_describe(value)}")
    if minimum is not None and number < minimum:
        raise ValueError(f"'{name}' must be at least {minimum}, got {number}")
    return number


def optional_integer(name, value, *, minimum=None):
    return None if value is None else integer(name, value, minimum=minimum)


def flag(name, value):
    """``value`` as a bool: True/False (numpy's too) and the integers 0 and 1;
    not strings ("False" would be true) or None."""
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral) and int(value) in (0, 1):
        return bool(value)
    raise ParameterTypeError(f"'{name}' must be True or False, got {type(value).__name__} {_describe(value)}")


def reals(name, values, unit=None):
    """A list of floats from a number or a 1-D sequence/array of numbers (not
    strings, bools or complex values)."""
    if isinstance(values, (str, bytes)):
        raise ParameterTypeError(f"'{name}' must be numbers ({unit or 'real'}), got a string {_describe(values)}")
    if isinstance(values, (list, tuple)):  # each element as given: [1e8, True] must not become [1e8, 1.0]
        return [real(f"{name}[{i}]", v, unit) for i, v in enumerate(values)]
    if hasattr(values, "__cuda_array_interface__") and hasattr(values, "get"):
        values = values.get()  # a CuPy array of parameters: to the host
    array = np.atleast_1d(np.asarray(values))
    if array.dtype.kind not in "iuf" or array.ndim != 1:
        raise ParameterTypeError(f"'{name}' must be a number or a 1-D sequence of real numbers, got "
                        f"{array.dtype} of shape {array.shape}")
    return [real(f"{name}[{i}]", v, unit) for i, v in enumerate(array.tolist())]
