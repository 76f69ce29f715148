"""SEG-Y export of a processed line.

    gp.write_segy("line.sgy", b)                  # never replaces a file unless overwrite=True

SEG-Y rev 2, big-endian, IEEE float32 samples, one trace per B-scan column;
the sample interval in picoseconds (the GPR convention) in the 16-bit fields
and exactly in rev 2's extended interval; trace numbers, source/group/CDP x, y
from ``b.positions`` (else x0 + j dx) and elevations, with coordinate scalars.
segyio reads it (``segyio.open(path)``; its ``samples`` are then in ns), and so
does ``gp.read_segy``. Conventions and sources: docs/GEOMETRY.md.
"""
import errno
import os

from . import _arrays, _core
from .bscan import BScan
from .io import _history_to_core, _io_path

__all__ = ["write_segy"]


def write_segy(path, bscan, overwrite=False):
    """Writes ``bscan`` (a BScan; CuPy data is copied to the host) to ``path``.
    An existing file is an error (FileExistsError) unless ``overwrite``; the
    file is written under a temporary name beside the target, flushed and
    renamed, so a failure leaves nothing half-written."""
    path = _io_path(path)
    if not isinstance(bscan, BScan):
        raise TypeError(f"write_segy() takes a BScan, got {type(bscan).__name__} "
                        "(wrap an array: gprproc.BScan(array, dt=..., dx=...))")
    if bscan.dt is None:
        raise ValueError("write_segy needs the B-scan's dt (s): set b.dt")
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, f"{path} exists; choose another name or pass overwrite=True", path)
    meta = _core.BScanMetadata(
        dt=bscan.dt, t0=bscan.t0, dx=bscan.dx or 0.0, x0=bscan.x0, antenna_offset=bscan.antenna_offset,
        antenna_height=bscan.antenna_height, center_frequency=bscan.center_frequency, component=bscan.component,
        source=bscan.source)
    _core.write_segy(path, _arrays.to_host(bscan.data), meta, bscan.positions, _history_to_core(bscan.history),
                     bool(overwrite))
