"""Field-instrument files: GSSI DZT (+ DZG GPS), Sensors & Software pulseEKKO
DT1/HD, MALA rd3/rd7 + rad, SEG-Y rev 1/2. Each reader returns a BScan (SI
metadata, samples as float32 (n_samples, n_traces)); with ``info=True`` it
returns ``(bscan, info)`` where info holds every header value of the file
(``info["header"]``, strings under the format's own names; bytes that are not
UTF-8 are read as Latin-1, so no header raises a decoding error), the marked
traces (``info["marks"]``, also on ``bscan.marks``) and GPS fixes
(``info["gps"]``; DZT: interpolated per trace onto ``bscan.positions``). The
B-scan's history starts with the read ("read_dzt", ...) and the header
values as its parameters. docs/FORMAT_VENDORS.md says what each field means.

Errors: FileNotFoundError for a missing file or companion (.HD, .rad), OSError
for a truncated or inconsistent file (the message names the field), ValueError
asking for ``dx`` when the file holds no trace spacing.
"""
from . import _core
from .io import _bscan_from_core, _io_path, _optional_dx

__all__ = ["read_dzt", "read_dt1", "read_mala", "read_segy", "read_vendor", "vendor_format_of"]


def _result(parts, info):
    bscan = _bscan_from_core(parts)
    if not info:
        return bscan
    return bscan, {"format": parts["format"], "header": dict(parts["header"]), "marks": list(parts["marks"] or []),
                   "gps": list(parts["gps"]), "dx_from": parts["dx_from"]}


def read_dzt(path, channel=0, dx=None, read_dzg=True, info=False):
    """GSSI DZT (SIR-3000/4000/20, StructureScan). ``channel`` picks one of the
    interleaved channels; ``dx`` (m) overrides 1/scans-per-metre (required for
    time-triggered files); the DZG GPS file beside it is read when present."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _result(_core.read_dzt(path, int(channel), _optional_dx(dx), bool(read_dzg)), info)


def read_dt1(path, dx=None, info=False):
    """pulseEKKO NAME.DT1 with its NAME.HD."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _result(_core.read_dt1(path, _optional_dx(dx)), info)


def read_mala(path, dx=None, time_base="time_window", info=False):
    """MALA NAME.rd3 (int16) or NAME.rd7 (int32) with NAME.rad. ``time_base``:
    "time_window" (dt = TIMEWINDOW / SAMPLES, the default) or
    "sampling_frequency" (dt = 1 / FREQUENCY); real files disagree by 2x."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _result(_core.read_mala(path, _optional_dx(dx), str(time_base)), info)


def read_segy(path, dx=None, interval_unit="auto", info=False):
    """SEG-Y rev 0/1/2, either byte order, IBM/IEEE float or integer samples.
    ``interval_unit``: "auto" (ps when the textual header says GPR or
    picoseconds, else the standard's microseconds), "us", "ns" or "ps"."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _result(_core.read_segy(path, _optional_dx(dx), str(interval_unit)), info)


def read_vendor(path, dx=None, info=False):
    """Any of the formats above, recognised by extension, then by content."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _result(_core.read_vendor(path, _optional_dx(dx)), info)


def vendor_format_of(path):
    """"dzt", "dt1", "mala", "segy", or "" when the file is none of them."""
    path = _io_path(path)  # first: a build without I/O has no _core readers
    return _core.vendor_format_of(path)
