"""Sanity bounds on physical parameters (gprproc/plausibility.hpp, the one
place they live): numbers that are valid but implausible for ground-penetrating
radar (a velocity in m/ns given as m/s, a band in MHz given as Hz) are refused
by every operation with the unit slip named. These expose the same checks:

    gp.check_plausible(b)        # ValueError naming the first implausible field of b's metadata
    gp.plausibility_bounds()     # {"velocity": (1e6, c), "dt": (1e-15, 1e-7), ...}

Bounds and their reasons: docs/PYTHON.md, "Plausibility bounds".
"""
from . import _core, _wrap
from .bscan import BScan


def check_plausible(bscan):
    """Checks a BScan's dt, dx, center_frequency, antenna offset and height
    against the bounds (dt and dx must be set); returns None or raises
    ValueError naming the field, its value and the likely unit slip. Useful
    after reading a file whose header may be in other units."""
    if not isinstance(bscan, BScan):
        raise TypeError(f"check_plausible needs a BScan, got {type(bscan).__name__}")
    _core.check_geometry("check_plausible", _wrap.core_metadata(bscan, "check_plausible", require=("dt", "dx")))


def plausibility_bounds():
    """The bounds, as a dict of (low, high) tuples in SI units plus the depth
    axis' reach factor and its rows-per-sample limit."""
    return dict(_core.plausibility_bounds())
