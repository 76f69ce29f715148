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

from . import _arrays, _core, _numbers, _wrap

_METHODS = ("kirchhoff", "stolt", "phase_shift")


def _velocity_record(velocity):
    """The velocity as checked numbers: a float (m/s) or {"layer_tops", "velocities"}
    (TypeError for a bool, a string or None; the C++ core checks the values,
    plausibility included)."""
    if isinstance(velocity, dict):
        if set(velocity) != {"layer_tops", "velocities"}:
            raise ValueError(f"a layered velocity needs exactly the keys 'layer_tops' and 'velocities', "
                             f"got {sorted(velocity)}")
        return {"layer_tops": _numbers.reals("velocity['layer_tops']", velocity["layer_tops"], "m"),
                "velocities": _numbers.reals("velocity['velocities']", velocity["velocities"], "m/s")}
    return _numbers.real("velocity", velocity, "m/s")


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

    A plan may be shared by threads (``concurrent.futures.ThreadPoolExecutor``):
    ``execute`` takes the plan's lock around the migration (which releases the
    GIL and uses every core, or the GPU), so concurrent calls take turns and each
    image equals, bit for bit, the one a call on its own gives. For images made
    at the same time, make one plan per thread.
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
        # Every keyword as a checked number or flag (a bool is not a number, a string not a flag).
        velocity = _velocity_record(velocity)
        dz, depth, z0 = _numbers.real("dz", dz, "m"), _numbers.real("depth", depth, "m"), _numbers.real("z0", z0, "m")
        aperture = _numbers.optional_real("aperture", aperture, "m", finite=False)
        max_angle, taper = _numbers.real("max_angle", max_angle, "radians"), _numbers.real("taper", taper)
        half_derivative = _numbers.flag("half_derivative", half_derivative)
        obliquity_weights = _numbers.flag("obliquity_weights", obliquity_weights)
        oversampling = _numbers.integer("oversampling", oversampling)
        antialias = _numbers.flag("antialias", antialias)
        tile_traces = _numbers.optional_integer("tile_traces", tile_traces, minimum=1)
        tile_memory = _numbers.real("tile_memory", tile_memory, "bytes")
        time_padding = _numbers.real("time_padding", time_padding)
        trace_padding = _numbers.real("trace_padding", trace_padding)
        correct_offset = _numbers.flag("correct_offset", correct_offset)
        dip_moveout = _numbers.flag("dip_moveout", dip_moveout)
        b, _ = _wrap.as_bscan(like, metadata)
        meta = _wrap.core_metadata(b, "migrate", require=("dt", "dx"))
        n_samples, n_traces = (int(n) for n in b.data.shape)
        self.method = method
        self._geometry = {name: getattr(b, name) for name in _GEOMETRY}
        self._shape = (n_samples, n_traces)
        self._image = dict(dz=dz, z0=z0, dx=b.dx, x0=b.x0, velocity=velocity)
        self._parameters = {"method": method, "dz": dz, "depth": depth, "z0": z0,
                            "velocity": velocity}
        grid = (dz, depth, z0)
        if method == "kirchhoff":
            self._plan = _core.KirchhoffPlan(
                meta, n_samples, n_traces, _wrap.velocity_model(velocity), *grid,
                math.inf if aperture is None else aperture, max_angle, taper,
                half_derivative, obliquity_weights, oversampling, antialias,
                0 if tile_traces is None else tile_traces, tile_memory, device)
            self._parameters.update(aperture=("all traces" if aperture is None else aperture),
                                    max_angle=max_angle, taper=taper,
                                    half_derivative=half_derivative, obliquity_weights=obliquity_weights,
                                    oversampling=oversampling, antialias=antialias)
        elif method == "stolt":
            self._plan = _core.StoltPlan(meta, n_samples, n_traces, velocity, *grid, time_padding,
                                         trace_padding, correct_offset, dip_moveout, device)
            self._parameters.update(time_padding=time_padding, trace_padding=trace_padding,
                                    correct_offset=correct_offset, dip_moveout=dip_moveout)
        else:
            self._plan = _core.PhaseShiftPlan(meta, n_samples, n_traces, _wrap.velocity_model(velocity), *grid,
                                              time_padding, trace_padding, correct_offset,
                                              dip_moveout, device)
            self._parameters.update(time_padding=time_padding, trace_padding=trace_padding,
                                    correct_offset=correct_offset, dip_moveout=dip_moveout)
        self._parameters["device"] = self._plan.device  # where it ran, not "auto"

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
    velocity = _velocity_record(velocity)
    dz, depth, z0 = _numbers.real("dz", dz, "m"), _numbers.real("depth", depth, "m"), _numbers.real("z0", z0, "m")
    b, bare = _wrap.as_bscan(bscan, metadata)
    meta = _wrap.core_metadata(b, "time_to_depth", require=("dt", "dx"))
    n_z = _core.depth_rows(dz, depth, z0)
    if n_z > 1:  # the output is sized from the axis: the axis' plausibility first (the C++ checks it again)
        _core.check_depth_axis("time_to_depth", dz, depth, z0, meta, b.n_samples, _wrap.velocity_model(velocity))
    output = _wrap.empty(b.data, (n_z, b.data.shape[1]))
    _core.time_to_depth(b.data, output, meta, _wrap.velocity_model(velocity), dz, depth, z0, device)
    parameters = {"dz": dz, "depth": depth, "z0": z0, "velocity": velocity}
    return _wrap.image_result(b, output, bare, "time_to_depth", parameters, dz=dz, z0=z0, dx=b.dx,
                              x0=b.x0, velocity=velocity)


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
    velocity = _velocity_record(velocity)
    dip_moveout = _numbers.flag("dip_moveout", dip_moveout)
    b, bare = _wrap.as_bscan(bscan, metadata)
    meta = _wrap.core_metadata(b, "correct_antenna_offset", require=("dt",))
    output = _wrap.empty_like(b.data)
    _core.correct_antenna_offset(b.data, output, meta, _wrap.velocity_model(velocity), dip_moveout, device)
    parameters = {"antenna_offset": b.antenna_offset, "velocity": velocity, "dip_moveout": dip_moveout}
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
    velocities = _numbers.reals("velocities", velocities, "m/s")
    dz, z0 = _numbers.real("dz", dz, "m"), _numbers.real("z0", z0, "m")
    depth = _numbers.optional_real("depth", depth, "m")
    aperture = _numbers.optional_real("aperture", aperture, "m", finite=False)
    max_angle, taper = _numbers.real("max_angle", max_angle, "radians"), _numbers.real("taper", taper)
    oversampling = _numbers.integer("oversampling", oversampling)
    b, _ = _wrap.as_bscan(bscan, metadata)
    meta = _wrap.core_metadata(b, "velocity_scan", require=("dt", "dx"))
    for i, v in enumerate(velocities):  # before the default depth is computed from them
        _core.check_velocity(f"velocity_scan: velocities[{i}]", v)
    if depth is None:
        n = b.data.shape[0]
        depth = 0.5 * max(velocities) * max(b.t0 + b.dt * (n - 1), b.dt)
    data = b.data
    if _arrays.is_device_array(data):
        data = np.ascontiguousarray(_arrays.to_host(data), dtype=np.float32)
    ap = math.inf if aperture is None else aperture
    result = _core.velocity_scan(data, meta, velocities, dz, depth, z0, ap, max_angle, taper, oversampling, device)
    return VelocityScanResult(result)


def fit_hyperbola(x, t, *, antenna_offset=0.0, antenna_height=0.0, target_radius=0.0):
    """Least-squares diffraction hyperbola through picks (x in m, t in s on the B-scan's clock).

    Returns a dict: velocity (m/s), apex_x (m), apex_depth (m), apex_time (s), rms_residual (s).
    """
    x = _numbers.reals("x", np.ravel(_arrays.to_host(x)) if hasattr(x, "shape") else x, "m")
    t = _numbers.reals("t", np.ravel(_arrays.to_host(t)) if hasattr(t, "shape") else t, "s")
    return _core.fit_hyperbola(x, t, _numbers.real("antenna_offset", antenna_offset, "m"),
                               _numbers.real("antenna_height", antenna_height, "m"),
                               _numbers.real("target_radius", target_radius, "m"))
