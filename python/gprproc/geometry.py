"""Field-geometry steps along a line: trace stacking and decimation, distance
normalisation (between marks, or from per-trace positions / distances),
saturation (clipping) detection and the topographic (static) correction.

    b4 = gp.stack_traces(b, 4)                             # mean of every 4 traces, dx * 4
    bd = gp.decimate_traces(b, 3)                          # every 3rd trace, centred anti-alias mean
    bn = gp.normalize_distance_by_marks(b, mark_spacing=1.0, spacing=0.02)   # b.marks 1 m apart
    bn = gp.normalize_distance_by_positions(b, spacing=0.02)                 # b.positions (GPS, wheel)
    bn = gp.normalize_distance_by_positions(b, spacing=0.02, distances=wheel)
    report = gp.detect_saturation(b)                       # warns (and notes it in b.history) when clipped
    bt = gp.correct_topography(b, velocity=1.0e8)          # elevations from b.positions[:, 2]

Every function takes a BScan (returns a new BScan with a history step; x0, dx,
positions and marks follow) or a bare numpy/CuPy array with its metadata as
keywords (returns a bare array: pass a BScan to keep the geometry), and
``device="auto" | "cpu" | "cuda"``. Algorithms and conventions: docs/GEOMETRY.md.
"""
import json
import math
import warnings

import numpy as np

from . import _arrays, _core, _wrap
from .bscan import BScan

__all__ = ["SaturationReport", "SaturationWarning", "correct_topography", "decimate_traces", "detect_saturation",
           "distances_along_path", "normalize_distance_by_marks", "normalize_distance_by_positions", "stack_traces"]


class SaturationWarning(UserWarning):
    """Raised (as a warning) when traces are clipped at the digitiser's limits."""


def _count(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number of traces, got {value!r}")
    value = int(value)
    if value < 1:
        raise ValueError(f"{name} = {value} is invalid; it must be at least 1")
    return value


def _choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}, got {value!r}")
    return value


def _positions(value, n_traces):
    if value is None:
        return None
    array = np.array(_arrays.to_host(value), dtype=np.float64, order="C")
    if array.shape != (n_traces, 3):
        raise ValueError(f"positions must have shape (n_traces, 3) = ({n_traces}, 3), got {array.shape}")
    return array


def _marks(value, n_traces):
    if value is None:
        return None
    raw = np.asarray(_arrays.to_host(value))
    if raw.ndim != 1 or not (raw.size == 0 or np.issubdtype(raw.dtype, np.integer)):
        raise ValueError(f"marks must be a 1-D array of integer trace indices, got {raw.dtype} {raw.shape}")
    if raw.size and (raw.min() < 0 or raw.max() >= n_traces):
        raise ValueError(f"marks must be trace indices in [0, {n_traces}), got {raw}")
    return [int(m) for m in raw]


def _resample(bscan, metadata, device, plan_of, positions=None, marks=None):
    """Plans with ``plan_of(n, x0, dx, positions, marks)`` and mixes the traces."""
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    positions = _positions(b.positions if positions is None else positions, b.n_traces)
    marks = _marks(b.marks if marks is None else marks, b.n_traces)
    plan = plan_of(b.n_traces, float(b.x0), float(b.dx or 0.0), positions, marks)
    output = _wrap.empty(b.data, (b.n_samples, plan.n_traces))
    _core.apply_trace_mix(b.data, output, plan, device)
    if bare:
        return output
    new = b.with_data(output, x0=plan.x0, dx=plan.dx if plan.dx > 0 else None)
    new.positions = plan.positions
    new.marks = np.asarray(plan.marks, dtype=np.int64) if marks is not None else None
    new.history = b.history + [_wrap.history_step(plan.operation, json.loads(plan.parameters_json))]
    return new


def stack_traces(bscan, traces, *, partial="drop", device="auto", **metadata):
    """Average every ``traces`` adjacent traces into one (dx * traces; x0 moves
    to the centre of the first group; positions are the groups' means; marks
    move to their group).

    partial   "drop": a last group of fewer traces is left out (the history
              counts them); "average": it is averaged over the traces it has
              (its true centre, in positions, lies off the regular grid)."""
    traces = _count("traces", traces)
    _choice("partial", partial, ("drop", "average"))
    return _resample(bscan, metadata, device,
                     lambda n, x0, dx, p, m: _core.plan_stack(n, x0, dx, p, m, traces, partial))


def decimate_traces(bscan, factor, *, anti_alias=True, device="auto", **metadata):
    """Keep traces 0, factor, 2 factor, ... (x0 stays, dx * factor). With
    ``anti_alias`` each kept trace is first the centred mean over ``factor``
    traces (even factors: factor + 1 traces, the end ones at half weight), which
    cancels what would alias to a constant; marks move to the nearest kept trace."""
    factor = _count("factor", factor)
    return _resample(bscan, metadata, device,
                     lambda n, x0, dx, p, m: _core.plan_decimation(n, x0, dx, p, m, factor, bool(anti_alias)))


def normalize_distance_by_marks(bscan, mark_spacing, spacing, *, marks=None, first_mark_distance=0.0,
                                outside="extrapolate", stationary="stack", device="auto", **metadata):
    """Resample onto a regular ``spacing`` (m) from marks placed ``mark_spacing``
    m apart (``marks``, else the B-scan's ``marks``): mark k lies at
    ``first_mark_distance + k * mark_spacing``, the traces between two marks at
    a constant speed, linearly interpolated onto ``x0 + k * spacing`` (every
    mark lands on an output trace when mark_spacing is a multiple of spacing).

    outside   "extrapolate": traces before the first and after the last mark
              keep the speed of the nearest interval; "drop": they are left out."""
    _choice("outside", outside, ("extrapolate", "drop"))
    _choice("stationary", stationary, ("stack", "drop"))
    if marks is None and (not isinstance(bscan, BScan) or bscan.marks is None):
        raise ValueError("normalize_distance_by_marks needs marks: the B-scan has none; pass marks=[trace, ...]")
    return _resample(bscan, metadata, device,
                     lambda n, x0, dx, p, m: _core.plan_normalization_by_marks(
                         n, x0, dx, p, m, float(mark_spacing), float(first_mark_distance), outside, float(spacing),
                         stationary), marks=marks)


def normalize_distance_by_positions(bscan, spacing, *, positions=None, distances=None, stationary_tolerance=0.0,
                                    stationary="stack", device="auto", **metadata):
    """Resample onto a regular ``spacing`` (m) from where each trace was recorded.

    positions  (n_traces, 3) m (else the B-scan's): the distance along the path
               is the running sum of the horizontal steps from x0; steps no
               longer than ``stationary_tolerance`` m are standing still, a
               step that turns back (> 90 degrees) is backwards motion: ValueError
               naming the traces.
    distances  instead: one distance per trace (m, non-decreasing), e.g. a
               survey wheel's; the output starts at distances[0].
    stationary "stack": traces recorded at one distance are averaged into one;
               "drop": only the first is kept.

    Output trace k lies at x0 + k * spacing, linearly interpolated between the
    two input traces around it."""
    _choice("stationary", stationary, ("stack", "drop"))
    if distances is not None:
        if positions is not None:
            raise ValueError("give positions or distances, not both")
        values = [float(v) for v in np.asarray(_arrays.to_host(distances), dtype=np.float64).ravel()]
        return _resample(bscan, metadata, device,
                         lambda n, x0, dx, p, m: _core.plan_distance_normalization(
                             n, x0, dx, p, m, values, float(spacing), stationary))
    if positions is None and (not isinstance(bscan, BScan) or bscan.positions is None):
        raise ValueError("normalize_distance_by_positions needs positions (n_traces, 3) or distances: "
                         "the B-scan has no positions")
    return _resample(bscan, metadata, device,
                     lambda n, x0, dx, p, m: _core.plan_normalization_by_positions(
                         n, x0, dx, p, m, float(stationary_tolerance), float(spacing), stationary),
                     positions=positions)


def distances_along_path(positions, *, x0=0.0, stationary_tolerance=0.0):
    """The distance (m) of every trace along the horizontal path of ``positions``
    (n_traces, 3), from ``x0``, as normalize_distance_by_positions measures it."""
    array = np.array(_arrays.to_host(positions), dtype=np.float64, order="C")
    if array.ndim != 2 or array.shape[1] != 3:
        raise ValueError(f"positions must have shape (n_traces, 3), got {array.shape}")
    return np.asarray(_core.distances_along_path(array, array.shape[0], float(x0), float(stationary_tolerance)))


class SaturationReport:
    """What detect_saturation found (the samples are never changed).

    low, high        the limits used (-inf / inf: none); low_inferred /
                     high_inferred: found in the data rather than given
    fraction         per trace, the fraction of its samples at a limit
    longest_run      per trace, its longest run of consecutive samples at one limit
    saturated_traces the traces whose fraction exceeds ``threshold`` (int64 array)
    exceeded         whether there are any; ``summary`` says it in one line
    """

    def __init__(self, parts):
        self.low, self.high = float(parts["low"]), float(parts["high"])
        self.low_inferred, self.high_inferred = bool(parts["low_inferred"]), bool(parts["high_inferred"])
        self.fraction = np.asarray(parts["fraction"])
        self.longest_run = np.asarray(parts["longest_run"])
        self.saturated_traces = np.asarray(parts["saturated_traces"])
        self.clipped_samples = int(parts["clipped_samples"])
        self.n_samples = int(parts["n_samples"])
        self.threshold = float(parts["threshold"])
        self.summary = str(parts["summary"])
        self._history_parameters = json.loads(parts["history_parameters"])

    @property
    def exceeded(self):
        return self.saturated_traces.size > 0

    def __repr__(self):
        return f"SaturationReport({self.summary})"


def detect_saturation(bscan, *, low=None, high=None, bits=None, tolerance=0.0, min_run=3, threshold=0.01, warn=True,
                      device="auto", **metadata):
    """Per trace, the fraction of samples at (or within ``tolerance`` of) the
    digitiser's limits: ``low`` / ``high`` in the data's units, or ``bits`` of a
    signed integer converter (raw samples only), or, left None, inferred from
    the data (its extreme value, where some trace holds it on ``min_run``
    consecutive samples: a clipped top is flat).

    A trace is saturated when more than ``threshold`` of its samples are at a
    limit. When any is and ``warn``, a SaturationWarning is issued and, for a
    BScan, a "saturation_warning" step is appended to its history (the only
    change: the samples are untouched). Returns a SaturationReport."""
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    if bits is not None:
        if low is not None or high is not None:
            raise ValueError("give bits or low/high, not both")
        low, high = _core.signed_integer_limits(int(bits))
    parts = _core.detect_saturation(b.data, math.nan if low is None else float(low),
                                    math.nan if high is None else float(high), float(tolerance), int(min_run),
                                    float(threshold), device)
    report = SaturationReport(parts)
    if report.exceeded and warn:
        warnings.warn(report.summary, SaturationWarning, stacklevel=2)
        if not bare:
            b.history = b.history + [_wrap.history_step("saturation_warning", report._history_parameters)]
    return report


def correct_topography(bscan, velocity, *, elevations=None, datum=None, half_width=8, device="auto", **metadata):
    """Static correction for a ground-coupled antenna: trace j, recorded at
    surface elevation z_j (``elevations``, else the B-scan's positions[:, 2]),
    is delayed by 2 (datum - z_j) / velocity so a reflector at one elevation
    arrives at one time; time t then maps to elevation datum - velocity t / 2.

    datum       m, the elevation of time zero after the correction (default
                the highest trace; not below it)
    The output keeps t0 and dt and gains ceil(max delay / dt) samples, so no
    sample is lost; shifts use the windowed sinc of ``shift_traces``."""
    _wrap.check_device(device)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    source = "given"
    if elevations is None:
        if b.positions is None:
            raise ValueError("correct_topography needs elevations (one per trace, m) or a B-scan with positions")
        z = b.positions[:, 2]
        source = "positions"
    else:
        z = np.asarray(_arrays.to_host(elevations), dtype=np.float64).ravel()
        if z.size != b.n_traces:
            raise ValueError(f"{z.size} elevations given for {b.n_traces} traces; give one per trace (m)")
    meta = _wrap.core_metadata(b, "correct_topography", ("dt",))
    plan = _core.plan_topography([float(v) for v in z], meta, b.n_samples, float(velocity),
                                 math.nan if datum is None else float(datum), int(half_width))
    output = _wrap.empty(b.data, (int(plan["n_samples_out"]), b.n_traces))
    _core.correct_topography(b.data, output, meta, [float(d) for d in plan["delays"]], float(plan["datum"]),
                             int(half_width), device)
    parameters = json.loads(plan["parameters_json"])
    parameters["elevations"] = source
    return _wrap.result(b, output, bare, "correct_topography", parameters)
