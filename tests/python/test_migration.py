"""gp.migrate / gp.time_to_depth / gp.velocity_scan / gp.fit_hyperbola against
analytic truths: a zero-offset point diffractor (Ricker on the exact hyperbola,
half-differentiated as the 2-D exploding-reflector response) must focus within
one grid cell of its true position by every method; bare arrays, history and
errors follow the package's conventions."""
import math

import numpy as np
import pytest

import gprproc as gp

C = 299792458.0
EPS_R = 6.25
V = C / math.sqrt(EPS_R)
F = 1.0e9
DT, T0, DX, X0 = 0.025e-9, -0.5e-9, 0.01, 0.0
N_SAMPLES, N_TRACES = 640, 96
POINT = (0.45, 0.20)


def _half_derivative_ricker(tau):
    """(i w)^(1/2) applied to a Ricker, by FFT on a fine, long grid."""
    fine = DT / 8
    n = 1 << 16
    t = (np.arange(n) - n // 4) * fine
    a = (math.pi * F * t) ** 2
    ricker = (1 - 2 * a) * np.exp(-a)
    spectrum = np.fft.rfft(ricker)
    w = 2 * math.pi * np.fft.rfftfreq(n, fine)
    # numpy's forward transform is e^{-i w t}: d/dt is (i w).
    half = np.fft.irfft(spectrum * np.sqrt(1j * w), n) / math.sqrt(2 * math.pi * F)
    return np.interp(tau, t, half, left=0.0, right=0.0)


def diffractor_bscan():
    x = X0 + DX * np.arange(N_TRACES)
    t = T0 + DT * np.arange(N_SAMPLES)
    travel = 2 * np.hypot(x - POINT[0], POINT[1]) / V
    data = _half_derivative_ricker(t[:, None] - travel[None, :]).astype(np.float32)
    return gp.BScan(data, dt=DT, t0=T0, dx=DX, x0=X0)


def focus(img):
    i, j = np.unravel_index(np.argmax(np.abs(img.data)), img.data.shape)
    return img.x0 + img.dx * j, img.z0 + img.dz * i


@pytest.mark.parametrize("method", ["kirchhoff", "stolt", "phase_shift"])
def test_every_method_focuses_the_diffractor(method):
    b = diffractor_bscan()
    img = gp.migrate(b, method=method, velocity=V, dz=0.005, depth=0.4, device="cpu")
    assert img.shape == (81, N_TRACES)
    assert img.dz == 0.005 and img.dx == DX and img.x0 == X0
    x, z = focus(img)
    assert abs(x - POINT[0]) <= DX + 1e-9
    assert abs(z - POINT[1]) <= 0.005 + 1e-9
    assert img.history[-1]["operation"] == "migrate"
    assert img.history[-1]["parameters"]["method"] == method


def test_layered_velocity_and_bare_array():
    b = diffractor_bscan()
    out = gp.migrate(b.data, velocity={"layer_tops": [0.0, 0.1], "velocities": [V, V]}, dz=0.005, depth=0.4,
                     dt=DT, t0=T0, dx=DX, x0=X0, device="cpu")
    assert isinstance(out, np.ndarray) and out.shape == (81, N_TRACES)
    i, j = np.unravel_index(np.argmax(np.abs(out)), out.shape)
    assert abs(j * DX - POINT[0]) <= DX + 1e-9 and abs(i * 0.005 - POINT[1]) <= 0.005 + 1e-9


def test_time_to_depth_puts_the_apex_at_its_depth():
    b = diffractor_bscan()
    img = gp.time_to_depth(b, velocity=V, dz=0.005, depth=0.4, device="cpu")
    column = int(round((POINT[0] - X0) / DX))
    i = int(np.argmax(np.abs(img.data[:, column])))
    assert abs(i * 0.005 - POINT[1]) <= 0.0101  # unmigrated wavelet: within two cells


def test_hyperbola_fit_and_velocity_scan():
    x = X0 + DX * np.arange(30, 61)
    t = 2 * np.hypot(x - POINT[0], POINT[1]) / V
    fit = gp.fit_hyperbola(x, t)
    assert fit["velocity"] == pytest.approx(V, rel=1e-4)
    assert fit["apex_x"] == pytest.approx(POINT[0], abs=1e-4)
    assert fit["apex_depth"] == pytest.approx(POINT[1], abs=1e-4)
    scan = gp.velocity_scan(diffractor_bscan(), np.linspace(0.08e9, 0.164e9, 15), dz=0.005, depth=0.4,
                            device="cpu")
    assert scan.focus.shape == (15,)
    assert scan.best == pytest.approx(V, rel=0.05)


def test_bad_parameters_raise_value_error_naming_them():
    b = diffractor_bscan()
    with pytest.raises(ValueError, match="velocity"):
        gp.migrate(b, velocity=-1.0, dz=0.005, depth=0.4, device="cpu")
    with pytest.raises(ValueError, match="dz"):
        gp.migrate(b, velocity=V, dz=0.0, depth=0.4, device="cpu")
    with pytest.raises(ValueError, match="depth"):
        gp.migrate(b, velocity=V, dz=0.005, depth=float("nan"), device="cpu")
    with pytest.raises(ValueError, match="aperture"):
        gp.migrate(b, velocity=V, dz=0.005, depth=0.4, aperture=0.0, device="cpu")
    with pytest.raises(ValueError, match="method"):
        gp.migrate(b, method="fk", velocity=V, dz=0.005, depth=0.4)
    with pytest.raises(ValueError, match="constant velocity"):
        gp.migrate(b, method="stolt", velocity={"layer_tops": [0, 0.1], "velocities": [V, V]}, dz=0.005, depth=0.4)
    with pytest.raises(ValueError, match="3 or more"):
        gp.fit_hyperbola([0.1, 0.2], [1e-9, 2e-9])


@pytest.mark.gpu
def test_cuda_matches_cpu_with_numpy_and_cupy():
    b = diffractor_bscan()
    cpu = gp.migrate(b, velocity=V, dz=0.005, depth=0.4, device="cpu")
    gpu = gp.migrate(b, velocity=V, dz=0.005, depth=0.4, device="cuda")
    assert np.max(np.abs(gpu.data - cpu.data)) <= 2e-3 * np.max(np.abs(cpu.data))
    cupy = pytest.importorskip("cupy")
    d = gp.migrate(cupy.asarray(b.data), method="stolt", velocity=V, dz=0.005, depth=0.4, dt=DT, t0=T0, dx=DX,
                   x0=X0, device="cuda")
    assert isinstance(d, cupy.ndarray)
    s = gp.migrate(b, method="stolt", velocity=V, dz=0.005, depth=0.4, device="cpu")
    assert float(cupy.max(cupy.abs(d - cupy.asarray(s.data)))) <= 1e-3 * float(np.max(np.abs(s.data)))


def _kirchhoff_core(b, antialias, device="cpu"):
    """Kirchhoff through gp.migrate's `antialias` keyword (passed on to the plan)."""
    return gp.migrate(b, velocity=V, dz=0.005, depth=0.4, antialias=antialias, device=device).data


def test_kirchhoff_antialias_keyword_keeps_an_unaliased_focus():
    # Traces 1 cm apart: the triangle filters touch only the steepest
    # contributions (docs/MIGRATION.md); the focus stays on the true cell and
    # the image correlates > 0.99 with the plain one.
    b = diffractor_bscan()
    plain, filtered = _kirchhoff_core(b, False), _kirchhoff_core(b, True)
    assert not np.array_equal(plain, filtered)
    i, j = np.unravel_index(np.argmax(np.abs(filtered)), filtered.shape)
    assert abs(X0 + DX * j - POINT[0]) <= DX + 1e-9 and abs(0.005 * i - POINT[1]) <= 0.005 + 1e-9
    r = float(np.sum(plain * filtered) / np.sqrt(np.sum(plain * plain) * np.sum(filtered * filtered)))
    assert r > 0.99


@pytest.mark.gpu
def test_kirchhoff_antialias_cuda_matches_cpu():
    b = diffractor_bscan()
    cpu, gpu = _kirchhoff_core(b, True, "cpu"), _kirchhoff_core(b, True, "cuda")
    assert np.max(np.abs(gpu - cpu)) <= 2e-3 * np.max(np.abs(cpu))


# -- plans: made once, executed many times ---------------------------------------------

@pytest.mark.parametrize("method", ["kirchhoff", "stolt", "phase_shift"])
def test_plan_executes_like_migrate_and_repeatedly(method):
    b = diffractor_bscan()
    plan = gp.MigrationPlan(b, method=method, velocity=V, dz=0.005, depth=0.4, device="cpu")
    assert plan.shape == (81, b.data.shape[1]) and plan.device == "cpu"
    once = gp.migrate(b, method=method, velocity=V, dz=0.005, depth=0.4, device="cpu")
    first, second = plan.execute(b), plan.execute(b)
    assert np.array_equal(first.data, once.data) and np.array_equal(second.data, once.data)
    assert first.history[-1]["operation"] == "migrate" and first.history[-1]["parameters"]["method"] == method
    # A second B-scan of the same geometry: the plan's image is that B-scan's.
    other = b.with_data(np.ascontiguousarray(b.data[:, ::-1]))
    assert np.array_equal(plan.execute(other).data,
                          gp.migrate(other, method=method, velocity=V, dz=0.005, depth=0.4, device="cpu").data)
    bare = plan.execute(b.data, dt=DT, t0=T0, dx=DX, x0=X0)
    assert isinstance(bare, np.ndarray) and np.array_equal(bare, once.data)


def test_plan_rejects_another_shape_or_geometry_naming_it():
    b = diffractor_bscan()
    plan = gp.MigrationPlan(b, velocity=V, dz=0.005, depth=0.4, device="cpu")
    with pytest.raises(ValueError, match="shape"):
        plan.execute(b.with_data(np.ascontiguousarray(b.data[:, :50])))
    moved = b.with_data(b.data.copy())
    moved.antenna_offset = 0.06
    with pytest.raises(ValueError, match="antenna_offset"):
        plan.execute(moved)
    with pytest.raises(ValueError, match="constant velocity"):
        gp.MigrationPlan(b, method="stolt", velocity={"layer_tops": [0.0], "velocities": [V]}, dz=0.005, depth=0.4)
    with pytest.raises(AttributeError, match="Kirchhoff"):
        gp.MigrationPlan(b, method="stolt", velocity=V, dz=0.005, depth=0.4, device="cpu").contributions
    for bad in (0, -3, 2.5):
        with pytest.raises(ValueError, match="tile_traces"):
            gp.MigrationPlan(b, velocity=V, dz=0.005, depth=0.4, tile_traces=bad)
    with pytest.raises(ValueError, match="tile_memory"):
        gp.MigrationPlan(b, velocity=V, dz=0.005, depth=0.4, tile_memory=0.0, device="cpu")


def test_kirchhoff_tiles_give_the_untiled_image():
    # Tiling bounds the buffers, not the image (docs/MIGRATION.md, "Tiled execution").
    b = diffractor_bscan()
    whole = gp.MigrationPlan(b, velocity=V, dz=0.005, depth=0.4, aperture=0.2, device="cpu")
    tiled = gp.MigrationPlan(b, velocity=V, dz=0.005, depth=0.4, aperture=0.2, tile_traces=7, device="cpu")
    assert whole.tile_traces == b.data.shape[1] and tiled.tile_traces == 7
    assert whole.contributions == tiled.contributions > 0
    assert np.array_equal(whole.execute(b).data, tiled.execute(b).data)
    assert np.array_equal(gp.migrate(b, velocity=V, dz=0.005, depth=0.4, aperture=0.2, tile_traces=7,
                                     device="cpu").data, whole.execute(b).data)


@pytest.mark.gpu
def test_plan_on_cupy_arrays_matches_the_cpu(cupy):
    b = diffractor_bscan()
    plan = gp.MigrationPlan(b, velocity=V, dz=0.005, depth=0.4, device="cuda")
    assert plan.device == "cuda"
    out = plan.execute(cupy.asarray(b.data), dt=DT, t0=T0, dx=DX, x0=X0)
    assert isinstance(out, cupy.ndarray)
    cpu = gp.migrate(b, velocity=V, dz=0.005, depth=0.4, device="cpu").data
    assert float(cupy.max(cupy.abs(out - cupy.asarray(cpu)))) <= 2e-3 * float(np.max(np.abs(cpu)))


# -- antenna offset: common -> zero offset (docs/MIGRATION.md, "Antenna offset") ------

OFFSET = 0.10
SHALLOW = (0.45, 0.05)  # a mine 5 cm deep under a 10 cm antenna offset, antenna on the ground


def offset_diffractor_bscan(offset=OFFSET, point=SHALLOW):
    x = X0 + DX * np.arange(N_TRACES)
    t = T0 + DT * np.arange(N_SAMPLES)
    travel = (np.hypot(x - 0.5 * offset - point[0], point[1]) + np.hypot(x + 0.5 * offset - point[0], point[1])) / V
    data = _half_derivative_ricker(t[:, None] - travel[None, :]).astype(np.float32)
    return gp.BScan(data, dt=DT, t0=T0, dx=DX, x0=X0, antenna_offset=offset)


@pytest.mark.parametrize("method", ["stolt", "phase_shift"])
def test_fk_offset_correction_focuses_a_shallow_diffractor(method):
    # Corrected (NMO + dip moveout): within one cell (tests/cpu/
    # test_migration_dip_moveout.cpp measures 0.5 mm); taken as zero offset:
    # 3 cells deep (tests/cpu/test_migration.cpp).
    b = offset_diffractor_bscan()
    kwargs = dict(method=method, velocity=V, dz=0.005, depth=0.2, device="cpu")
    corrected = gp.migrate(b, **kwargs)
    uncorrected = gp.migrate(b, correct_offset=False, **kwargs)
    x, z = focus(corrected)
    assert abs(x - SHALLOW[0]) <= DX + 1e-9 and abs(z - SHALLOW[1]) <= 0.005 + 1e-9
    assert focus(uncorrected)[1] - SHALLOW[1] > 0.005 + 1e-9
    assert corrected.history[-1]["parameters"]["correct_offset"] is True
    assert corrected.history[-1]["parameters"]["dip_moveout"] is True
    assert uncorrected.history[-1]["parameters"]["correct_offset"] is False
    # The plan's remap is gp.correct_antenna_offset (bitwise on the CPU), with
    # and without its dip moveout.
    for dmo in (True, False):
        zero_offset = gp.correct_antenna_offset(b, velocity=V, dip_moveout=dmo, device="cpu")
        assert zero_offset.history[-1]["parameters"]["dip_moveout"] is dmo
        expected = gp.migrate(b, dip_moveout=dmo, **kwargs).data
        assert np.array_equal(gp.migrate(zero_offset, **kwargs).data, expected)


@pytest.mark.parametrize("method", ["stolt", "phase_shift"])
def test_fk_dip_moveout_brings_the_focus_closer_to_the_truth(method):
    # Depth refined by a parabola through the focus row and its neighbours:
    # with DMO closer to the true depth than NMO alone (whose flat limbs pull
    # the focus up by about a cell here).
    b = offset_diffractor_bscan()
    kwargs = dict(method=method, velocity=V, dz=0.005, depth=0.2, device="cpu")

    def refined_depth_error(img):
        a = np.abs(img.data)
        i, j = np.unravel_index(np.argmax(a), a.shape)
        lo, mid, hi = a[i - 1, j], a[i, j], a[i + 1, j]
        return img.z0 + img.dz * (i + 0.5 * (lo - hi) / (lo - 2 * mid + hi)) - SHALLOW[1]

    with_dmo = refined_depth_error(gp.migrate(b, **kwargs))
    nmo_only = refined_depth_error(gp.migrate(b, dip_moveout=False, **kwargs))
    assert abs(with_dmo) < abs(nmo_only), (with_dmo, nmo_only)


def test_correct_antenna_offset_puts_a_flat_reflector_at_its_zero_offset_time():
    depth = 0.12
    t = T0 + DT * np.arange(N_SAMPLES)
    recorded = 2 * np.hypot(0.5 * OFFSET, depth) / V
    a = (math.pi * F * (t - recorded)) ** 2
    column = ((1 - 2 * a) * np.exp(-a)).astype(np.float32)
    b = gp.BScan(np.repeat(column[:, None], 4, axis=1), dt=DT, t0=T0, dx=DX, antenna_offset=OFFSET)
    # NMO alone: four traces are all B-scan edge for the dip moveout.
    zo = gp.correct_antenna_offset(b, velocity=V, dip_moveout=False, device="cpu")
    assert isinstance(zo, gp.BScan) and zo.antenna_offset == 0.0 and zo.dt == DT
    assert zo.history[-1]["operation"] == "correct_antenna_offset"
    assert zo.history[-1]["parameters"]["antenna_offset"] == OFFSET
    # Peak by a parabola through the largest sample and its neighbours.
    trace = zo.data[:, 1].astype(float)
    i = int(np.argmax(trace))
    peak = i + 0.5 * (trace[i - 1] - trace[i + 1]) / (trace[i - 1] - 2 * trace[i] + trace[i + 1])
    assert abs(T0 + DT * peak - 2 * depth / V) <= 0.1 * DT
    assert abs(recorded - 2 * depth / V) > DT  # there was something to correct
    # Zero offset: the identity; a bare array gives a bare array.
    same = gp.correct_antenna_offset(b.data, velocity=V, dt=DT, t0=T0, dx=DX, device="cpu")
    assert isinstance(same, np.ndarray) and same.shape == b.data.shape
    identity = gp.correct_antenna_offset(b.data, velocity=V, dt=DT, t0=T0, dx=DX, antenna_offset=0.0, device="cpu")
    assert np.max(np.abs(identity - b.data)) <= 1e-6 * np.max(np.abs(b.data))


def test_correct_antenna_offset_rejects_bad_input_naming_it():
    b = offset_diffractor_bscan()
    with pytest.raises(ValueError, match="velocity"):
        gp.correct_antenna_offset(b)
    with pytest.raises(ValueError, match="velocity"):
        gp.correct_antenna_offset(b, velocity=-1.0, device="cpu")
    with pytest.raises(ValueError, match="dt"):
        gp.correct_antenna_offset(np.zeros((8, 4), np.float32), velocity=V)
    bad = b.data.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError):
        gp.correct_antenna_offset(gp.BScan(bad, dt=DT, dx=DX, allow_non_finite=True), velocity=V, device="cpu")


@pytest.mark.gpu
def test_correct_antenna_offset_cuda_matches_cpu():
    b = offset_diffractor_bscan()
    cpu = gp.correct_antenna_offset(b, velocity=V, device="cpu").data
    gpu = gp.correct_antenna_offset(b, velocity=V, device="cuda").data
    assert np.max(np.abs(gpu - cpu)) <= 1e-5 * np.max(np.abs(cpu))
    s_cpu = gp.migrate(b, method="stolt", velocity=V, dz=0.005, depth=0.2, device="cpu").data
    s_gpu = gp.migrate(b, method="stolt", velocity=V, dz=0.005, depth=0.2, device="cuda").data
    assert np.max(np.abs(s_gpu - s_cpu)) <= 1e-3 * np.max(np.abs(s_cpu))
