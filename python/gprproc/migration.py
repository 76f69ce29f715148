"""Migration (B-scan -> focused depth image) and velocity analysis.

    img = gp.migrate(b, method="kirchhoff", velocity=1.5e8, dz=2e-3, depth=0.4)   # "stolt", "phase_shift"
    plan = gp.MigrationPlan(b, velocity=1.5e8, dz=2e-3, depth=0.4)                # once per geometry
    img = plan.execute(b2)                                                          # many times
    img = gp.migrate(b, velocity={"layer_tops": [0, 0.1], "velocities": [1.5e8, 1.0e8]}, dz=2e-3, depth=0.4)
    img = gp.time_to_depth(b, velocity=1.5e8, dz=2e-3, depth=0.4)
    zo = gp.correct_antenna_offset(b, velocity=1.5e8)                               # common -> zero offset
    scan = gp.velocity_scan(b, velocities=np.linspace(0.6e8, 2.0e8, 64), dz=2e-3, depth=0.3)
    fit = gp.fit_hyperbola(x, t, antenna_offset=0.04)

Geometry (antenna offset and height, t0 at the wavelet's peak leaving the
antenna) comes from the B-scan. Algorithms and references: docs/MIGRATION.md.
"""
import math

import numpy as np

from . import _arrays, _core, _wrap

_METHODS = ("kirchhoff", "stolt", "phase_shift")


def _velocity_record(velocity):
    if isinstance(velocity, dict):
        return {"layer_tops": [float(t) for t in velocity["layer_tops"]],
                "velocities": [float(v) for v in velocity["velocities"]]}
    return float(velocity)


_GEOMETRY = ("dt", "t0", "dx", "x0", "antenna_offset", "antenna_height")


class MigrationPlan:
    """A migration set up once for B-scans of one geometry and executed many
    times: the Kirchhoff travel-time tables, the FFT plans and, on a GPU, the
    device buffers are made here, not per B-scan (docs/MIGRATION.md).

        plan = gp.MigrationPlan(b, velocity=1.2e8, dz=2e-3, depth=0.4, aperture=0.3)
        images = [plan.execute(line) for line in lines]      # B-scans shaped and sampled like b

    ``like`` gives the geometry: a BScan, or an array (its shape) with the
    metadata keywords (dt, dx, t0, x0, antenna_offset, antenna_height). The
    other arguments are ``migrate``'s, plus for Kirchhoff ``tile_traces`` (image
    columns per tile; None: chosen from ``tile_memory``, bytes of buffers per
    tile). ``device`` is resolved here: "auto" means the GPU where there is one.
    """

    def __init__(self, like, method="kirchhoff", velocity=None, dz=None, depth=None, *, z0=0.0, aperture=None,
                 max_angle=math.radians(70.0), taper=0.25, half_derivative=True, obliquity_weights=True,
                 oversampling=4, antialias=False, tile_traces=None, tile_memory=256 * 2**20, time_padding=2.0,
                 trace_padding=2.0, correct_offset=True, dip_moveout=True, device="auto", **metadata):
        _wrap.check_device(device)
        if method not in _METHODS:
            raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
        if velocity is None or dz is None or depth is None:
            raise ValueError("migration needs velocity=..., dz=... and depth=...")
        if method == "stolt" and isinstance(velocity, dict):
            raise ValueError("Stolt migration needs a constant velocity; use kirchhoff or phase_shift for v(z)")
        if tile_traces is not None and not (int(tile_traces) == tile_traces and tile_traces >= 1):
            raise ValueError(f"tile_traces must be a whole number of image columns >= 1 (or None), got {tile_traces!r}")
        b, _ = _wrap.as_bscan(like, metadata)
        meta = _wrap.core_metadata(b, "migrate", require=("dt", "dx"))
        n_samples, n_traces = (int(n) for n in b.data.shape)
        self.method = method
        self._geometry = {name: getattr(b, name) for name in _GEOMETRY}
        self._shape = (n_samples, n_traces)
        self._image = dict(dz=float(dz), z0=float(z0), dx=b.dx, x0=b.x0, velocity=_velocity_record(velocity))
        self._parameters = {"method": method, "dz": float(dz), "depth": float(depth), "z0": float(z0),
                            "velocity": _velocity_record(velocity)}
        grid = (float(dz), float(depth), float(z0))
        if method == "kirchhoff":
            self._plan = _core.KirchhoffPlan(
                meta, n_samples, n_traces, _wrap.velocity_model(velocity), *grid,
                math.inf if aperture is None else float(aperture), float(max_angle), float(taper),
                bool(half_derivative), bool(obliquity_weights), int(oversampling), bool(antialias),
                0 if tile_traces is None else int(tile_traces), float(tile_memory), device)
            self._parameters.update(aperture=("all traces" if aperture is None else float(aperture)),
                                    max_angle=float(max_angle), taper=float(taper),
                                    half_derivative=bool(half_derivative), obliquity_weights=bool(obliquity_weights),
                                    oversampling=int(oversampling), antialias=bool(antialias))
        elif method == "stolt":
            self._plan = _core.StoltPlan(meta, n_samples, n_traces, float(velocity), *grid, float(time_padding),
                                         float(trace_padding), bool(correct_offset), bool(dip_moveout), device)
            self._parameters.update(time_padding=float(time_padding), trace_padding=float(trace_padding),
                                    correct_offset=bool(correct_offset), dip_moveout=bool(dip_moveout))
        else:
            self._plan = _core.PhaseShiftPlan(meta, n_samples, n_traces, _wrap.velocity_model(velocity), *grid,
                                              float(time_padding), float(trace_padding), bool(correct_offset),
                                              bool(dip_moveout), device)
            self._parameters.update(time_padding=float(time_padding), trace_padding=float(trace_padding),
                                    correct_offset=bool(correct_offset), dip_moveout=bool(dip_moveout))

    @property
    def shape(self):
        """(n_z, n_x) of the images it makes."""
        return (self._plan.n_z, self._plan.n_x)

    @property
    def device(self):
        """"cpu" or "cuda": where it runs."""
        return self._plan.device

    @property
    def contributions(self):
        """Kirchhoff: pixel-trace pairs with a non-zero weight per execute."""
        if self.method != "kirchhoff":
            raise AttributeError(f"contributions is a Kirchhoff figure; this plan is {self.method}")
        return self._plan.contributions

    @property
    def tile_traces(self):
        """Kirchhoff: image columns per tile (the B-scan's width when untiled)."""
        if self.method != "kirchhoff":
            raise AttributeError(f"tile_traces is a Kirchhoff figure; this plan is {self.method}")
        return self._plan.tile_traces

    def execute(self, bscan, **metadata):
        """The depth image of ``bscan`` (a BScan, or an array with its metadata
        keywords), which must have the plan's shape and geometry: a DepthImage
        for a BScan, a bare array (numpy or CuPy, as the input) for an array."""
        b, bare = _wrap.as_bscan(bscan, metadata)
        return self._run(b, bare)

    def _run(self, b, bare):
        if tuple(b.data.shape) != self._shape:
            raise ValueError(f"the plan was made for B-scans of shape {self._shape}, got {tuple(b.data.shape)}")
        for name, value in self._geometry.items():
            if getattr(b, name) != value:
                raise ValueError(f"the plan was made for {name} = {value}, the B-scan has {getattr(b, name)}; "
                                 "make a plan for this geometry")
        output = _wrap.empty(b.data, self.shape)
        self._plan.execute(b.data, output)
        return _wrap.image_result(b, output, bare, "migrate", self._parameters, **self._image)


def migrate(bscan, method="kirchhoff", velocity=None, dz=None, depth=None, *, z0=0.0, aperture=None,
            max_angle=math.radians(70.0), taper=0.25, half_derivative=True, obliquity_weights=True,
            oversampling=4, antialias=False, tile_traces=None, tile_memory=256 * 2**20, time_padding=2.0,
            trace_padding=2.0, correct_offset=True, dip_moveout=True, device="auto", **metadata):
    """Migrate a B-scan into a DepthImage of shape (n_z, n_traces).

    method       "kirchhoff" (constant or layered velocity, any geometry), "stolt" (constant
                 velocity, f-k), "phase_shift" (layered v(z), f-k)
    velocity     m/s, or {"layer_tops": [m...], "velocities": [m/s...]} (interval velocities)
    dz, depth    depth step and deepest row (m); rows z0, z0 + dz, ... <= depth
    aperture     Kirchhoff half-aperture (m), None for every trace
    max_angle    Kirchhoff largest angle from the vertical (radians)
    taper        Kirchhoff cosine taper, fraction of the aperture
    half_derivative, obliquity_weights, oversampling   Kirchhoff options (docs/MIGRATION.md)
    antialias    Kirchhoff triangle-filter anti-aliasing of steep operator dips (off by default)
    tile_traces, tile_memory   Kirchhoff tiling: image columns per tile (None: from tile_memory,
                 bytes of buffers per tile); the image does not depend on it
    time_padding, trace_padding   Stolt / phase-shift zero-padding factors
    correct_offset   Stolt / phase shift: remap a common-offset B-scan (antenna_offset != 0) to
                 zero offset first (see correct_antenna_offset); False takes the data as zero offset
    dip_moveout  Stolt / phase shift, with correct_offset: dip moveout after the remap (see
                 correct_antenna_offset)

    Returns a DepthImage (or a bare array for a bare array), on the input's
    device. For many B-scans of one geometry, make a MigrationPlan once.
    """
    b, bare = _wrap.as_bscan(bscan, metadata)
    plan = MigrationPlan(b, method, velocity, dz, depth, z0=z0, aperture=aperture, max_angle=max_angle, taper=taper,
                         half_derivative=half_derivative, obliquity_weights=obliquity_weights,
                         oversampling=oversampling, antialias=antialias, tile_traces=tile_traces,
                         tile_memory=tile_memory, time_padding=time_padding, trace_padding=trace_padding,
                         correct_offset=correct_offset, dip_moveout=dip_moveout, device=device)
    return plan._run(b, bare)


def time_to_depth(bscan, velocity=None, dz=None, depth=None, *, z0=0.0, device="auto", **metadata):
    """Each trace read at the two-way time of the point straight below it (no migration)."""
    _wrap.check_device(device)
    if velocity is None or dz is None or depth is None:
        raise ValueError("time_to_depth needs velocity=..., dz=... and depth=...")
    b, bare = _wrap.as_bscan(bscan, metadata)
    meta = _wrap.core_metadata(b, "time_to_depth", require=("dt", "dx"))
    n_z = _core.depth_rows(float(dz), float(depth), float(z0))
    output = _wrap.empty(b.data, (n_z, b.data.shape[1]))
    _core.time_to_depth(b.data, output, meta, _wrap.velocity_model(velocity), float(dz), float(depth), float(z0),
                        device)
    parameters = {"dz": float(dz), "depth": float(depth), "z0": float(z0), "velocity": _velocity_record(velocity)}
    return _wrap.image_result(b, output, bare, "time_to_depth", parameters, dz=float(dz), z0=float(z0), dx=b.dx,
                              x0=b.x0, velocity=_velocity_record(velocity))


def correct_antenna_offset(bscan, velocity=None, *, dip_moveout=True, device="auto", **metadata):
    """The common-offset B-scan remapped in time to zero offset (antenna_offset 0).

    Each output sample, at zero-offset two-way time tau, is the input read at
    the common-offset time of the point below the midpoint whose zero-offset
    time is tau (refraction at the ground, v(z) as in time_to_depth): normal
    moveout, exact at every diffraction apex and for flat reflectors, with the
    usual stretch of shallow events. With ``dip_moveout`` (default) the limbs
    of diffractions (any dipping event) are then moved to their zero-offset
    times by the log-stretch f-k DMO: exact for a constant velocity with the
    antenna on the ground, a fitted approximation otherwise. The f-k
    migrations do this themselves (correct_offset=True). docs/MIGRATION.md.
    """
    _wrap.check_device(device)
    if velocity is None:
        raise ValueError("correct_antenna_offset needs velocity=... (m/s, or layer_tops/velocities)")
    b, bare = _wrap.as_bscan(bscan, metadata)
    meta = _wrap.core_metadata(b, "correct_antenna_offset", require=("dt",))
    output = _wrap.empty_like(b.data)
    _core.correct_antenna_offset(b.data, output, meta, _wrap.velocity_model(velocity), bool(dip_moveout), device)
    parameters = {"antenna_offset": b.antenna_offset, "velocity": _velocity_record(velocity),
                  "dip_moveout": bool(dip_moveout)}
    return _wrap.result(b, output, bare, "correct_antenna_offset", parameters, antenna_offset=0.0)


class VelocityScanResult:
    """``velocities`` and ``focus`` (numpy arrays), ``best`` (m/s) and ``best_index``."""

    def __init__(self, result):
        self.velocities = np.asarray(result["velocities"], dtype=float)
        self.focus = np.asarray(result["focus"], dtype=float)
        self.best = float(result["best"])
        self.best_index = int(result["best_index"])

    def __repr__(self):
        return f"VelocityScanResult(best={self.best:.4g} m/s, {len(self.velocities)} velocities)"


def velocity_scan(bscan, velocities, dz=2e-3, depth=None, *, z0=0.0, aperture=None, max_angle=math.radians(70.0),
                  taper=0.25, oversampling=2, device="auto", **metadata):
    """Migrate at each velocity and measure focus (stack-energy-weighted semblance, 0..1).

    Remove the background first; ``depth`` (m) defaults to what the record reaches
    at the fastest velocity. Returns a VelocityScanResult (.velocities, .focus, .best).
    """
    _wrap.check_device(device)
    b, _ = _wrap.as_bscan(bscan, metadata)
    meta = _wrap.core_metadata(b, "velocity_scan", require=("dt", "dx"))
    velocities = [float(v) for v in np.atleast_1d(np.asarray(velocities, dtype=float))]
    if depth is None:
        n = b.data.shape[0]
        depth = 0.5 * max(velocities) * max(b.t0 + b.dt * (n - 1), b.dt)
    data = b.data
    if _arrays.is_device_array(data):
        data = np.ascontiguousarray(_arrays.to_host(data), dtype=np.float32)
    ap = math.inf if aperture is None else float(aperture)
    result = _core.velocity_scan(data, meta, velocities, float(dz), float(depth), float(z0), ap, float(max_angle),
                                 float(taper), int(oversampling), device)
    return VelocityScanResult(result)


def fit_hyperbola(x, t, *, antenna_offset=0.0, antenna_height=0.0, target_radius=0.0):
    """Least-squares diffraction hyperbola through picks (x in m, t in s on the B-scan's clock).

    Returns a dict: velocity (m/s), apex_x (m), apex_depth (m), apex_time (s), rms_residual (s).
    """
    x = [float(v) for v in np.ravel(np.asarray(x, dtype=float))]
    t = [float(v) for v in np.ravel(np.asarray(t, dtype=float))]
    return _core.fit_hyperbola(x, t, float(antenna_offset), float(antenna_height), float(target_radius))
