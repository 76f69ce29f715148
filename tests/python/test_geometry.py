"""gprproc field-geometry steps from Python, against truths: stacks of identical
traces and of independent noise, a diffraction recorded at a known uneven speed
put back on a regular grid (from positions, from a wheel's distances, between
marks), a flat reflector under a known topography made flat, clipped traces
found exactly (planted, and in the real pulseEKKO line whose direct wave
clips), the real DZT's marks; bad input is a ValueError naming the value."""
import math
import warnings

import numpy as np
import pytest

import gprproc as gp

DT = 50e-12
V = 1.0e8
F = 500e6
DEPTH, APEX = 0.25, 0.437


def _ricker(t, f=F):
    a = (np.pi * f * t) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def _diffraction(distances, ns=400):
    t = np.arange(ns)[:, None] * DT
    arrival = 2.0 * np.hypot(DEPTH, np.asarray(distances)[None, :] - APEX) / V + 2e-9
    return _ricker(t - arrival).astype(np.float32)


def _centres(data, dt=DT, t0=0.0):
    """Wavelet centre of every trace: the peak of a parabola through the
    largest sample and its neighbours (ample for sub-millimetre apex fits)."""
    k = np.argmax(data, axis=0).clip(1, data.shape[0] - 2)
    j = np.arange(data.shape[1])
    a, b, c = data[k - 1, j], data[k, j], data[k + 1, j]
    return t0 + dt * (k + 0.5 * (a - c) / (a - 2 * b + c))


def _apex(data, x, half_aperture=0.2):
    """The apex of t^2 = (2/v)^2 ((x - x_a)^2 + z^2), fitted to the traces near it."""
    t = _centres(data) - 2e-9
    near = np.abs(x - APEX) <= half_aperture
    c2, c1, _ = np.polyfit(x[near] - APEX, (t[near] * 1e9) ** 2, 2)
    return APEX - c1 / (2 * c2)


def _uneven_line(n=201):
    u = np.arange(n) / (n - 1)
    return u + 0.1 * np.sin(np.pi * u)  # the operator starts fast and slows down


# ------------------------------------------------------------------ stacking / decimation

def test_stack_of_identical_traces_is_that_trace_and_noise_falls_by_sqrt_n():
    rng = np.random.default_rng(1)
    trace = rng.uniform(-1e3, 1e3, 64).astype(np.float32)
    b = gp.BScan(np.repeat(trace[:, None], 22, axis=1), dt=DT, dx=0.01, x0=2.0)
    s = gp.stack_traces(b, 4)
    assert s.n_traces == 5 and s.dx == pytest.approx(0.04) and s.x0 == pytest.approx(2.015)
    assert np.array_equal(s.data, np.repeat(trace[:, None], 5, axis=1))
    assert s.history[-1]["operation"] == "stack_traces"
    assert s.history[-1]["parameters"]["dropped_traces"] == 2
    assert gp.stack_traces(b, 4, partial="average").n_traces == 6
    noise = rng.standard_normal((256, 2048)).astype(np.float32)
    for n in (4, 16):
        stacked = gp.stack_traces(noise, n, dx=0.01)  # bare array in, bare array out
        assert isinstance(stacked, np.ndarray)
        assert noise.std() / stacked.std() == pytest.approx(math.sqrt(n), rel=0.03)


def test_decimation_keeps_a_slow_wave_and_cancels_the_aliasing_one():
    j = np.arange(241)
    slow = np.cos(2 * np.pi * j / 160 + 0.3)
    fast = np.cos(2 * np.pi * j / 4 + 0.7)  # period 4 traces: a constant after decimating by 4
    b = gp.BScan(np.stack([slow, fast]).astype(np.float32), dt=DT, dx=0.01)
    kept = gp.decimate_traces(b, 4, anti_alias=False)
    assert np.array_equal(kept.data, b.data[:, ::4]) and kept.dx == pytest.approx(0.04)
    smooth = gp.decimate_traces(b, 4)
    assert np.abs(smooth.data[0, 1:-1] - slow[::4][1:-1]).max() < 0.01
    assert np.abs(smooth.data[1, 1:-1]).max() < 1e-6
    assert np.abs(kept.data[1, 1:-1]).min() > 0.5


# ------------------------------------------------------------------ distance normalisation

def test_positions_at_an_uneven_speed_put_the_apex_back():
    d = _uneven_line()
    heading = np.radians(30)
    positions = np.stack([500 + d * np.sin(heading), 200 + d * np.cos(heading), np.full(d.size, 12.0)], axis=1)
    b = gp.BScan(_diffraction(d), dt=DT, dx=1.0 / (d.size - 1), positions=positions)
    naive = _apex(b.data, b.positions_x())
    assert abs(naive - APEX) > 0.02  # the regular-spacing reading misplaces it
    r = gp.normalize_distance_by_positions(b, 0.01)
    assert r.n_traces == 101 and r.dx == 0.01 and r.x0 == 0.0
    assert abs(_apex(r.data, r.positions_x()) - APEX) < 0.0025
    truth = _diffraction(r.positions_x())
    near = np.abs(r.positions_x() - APEX) <= 0.3
    assert np.abs(r.data[:, near] - truth[:, near]).max() < 0.05 * np.abs(truth).max()
    np.testing.assert_allclose(r.positions[50, :2], [500 + 0.5 * np.sin(heading), 200 + 0.5 * np.cos(heading)],
                               atol=1e-9)
    assert r.history[-1]["operation"] == "normalize_distance_by_positions"
    # The same from a survey wheel's distances, on a bare array.
    bare = gp.normalize_distance_by_positions(b.data, 0.01, distances=d, dt=DT)
    np.testing.assert_array_equal(bare, r.data)
    np.testing.assert_allclose(gp.distances_along_path(positions), d, atol=1e-12)


def test_marks_at_a_piecewise_constant_speed_and_real_dzt_marks(shared_data):
    marks = np.array([0, 30, 80, 105, 150, 190])
    d = np.interp(np.arange(191), marks, 0.2 * np.arange(6))
    b = gp.BScan(_diffraction(d), dt=DT, dx=0.005, marks=marks)
    r = gp.normalize_distance_by_marks(b, mark_spacing=0.2, spacing=0.01)
    assert r.n_traces == 101
    assert list(r.marks) == [0, 20, 40, 60, 80, 100]
    assert abs(_apex(r.data, r.positions_x()) - APEX) < 0.0025

    # The real SIR-3000 line: a mark every 100 scans, read as 1 m apart;
    # at 1 cm spacing the line is unchanged (the marks are already even).
    path = shared_data("field/gssi_sir3000_400MHz.DZT")
    line = gp.read_dzt(path)
    assert list(line.marks) == list(range(0, 1001, 100))
    same = gp.normalize_distance_by_marks(line, mark_spacing=1.0, spacing=0.01)
    assert same.n_traces == line.n_traces
    np.testing.assert_array_equal(same.data, line.data)
    assert list(same.marks) == list(line.marks)
    coarse = gp.normalize_distance_by_marks(line, mark_spacing=1.0, spacing=0.05, outside="drop")
    assert coarse.n_traces == 201 and list(coarse.marks) == list(range(0, 201, 20))
    assert coarse.history[-1]["parameters"]["unused_traces"] > 0  # denser input: said, not silent


def test_stationary_and_backwards_motion():
    d = np.repeat(np.arange(201) * 0.005, [5 if k in (20, 87, 150) else 1 for k in range(201)])
    positions = np.stack([d, np.zeros_like(d), np.zeros_like(d)], axis=1)
    b = gp.BScan(_diffraction(d), dt=DT, positions=positions)
    r = gp.normalize_distance_by_positions(b, 0.01)
    assert r.history[-1]["parameters"]["merged_traces"] == 12
    truth = _diffraction(np.arange(101) * 0.01)
    np.testing.assert_allclose(r.data, truth, atol=1e-6)
    back = positions.copy()
    back[120:, 0] = back[119, 0] - 0.005 * np.arange(1, back.shape[0] - 119)
    with pytest.raises(ValueError, match="backwards between trace 119"):
        gp.normalize_distance_by_positions(gp.BScan(b.data, dt=DT, positions=back), 0.01)
    with pytest.raises(ValueError, match="decreases from trace 119"):
        gp.normalize_distance_by_positions(b.data, 0.01, distances=back[:, 0], dt=DT)


def test_along_line_steps_name_bad_values():
    b = gp.BScan(np.zeros((8, 20), np.float32), dt=DT, dx=0.01)
    with pytest.raises(ValueError, match="traces = 0"):
        gp.stack_traces(b, 0)
    with pytest.raises(ValueError, match="'traces' = 21"):
        gp.stack_traces(b, 21)
    with pytest.raises(ValueError, match="'factor' = 30"):
        gp.decimate_traces(b, 30)
    with pytest.raises(ValueError, match="needs marks"):
        gp.normalize_distance_by_marks(b, 1.0, 0.1)
    with pytest.raises(ValueError, match="at least 2"):
        gp.normalize_distance_by_marks(b, 1.0, 0.1, marks=[3])
    with pytest.raises(ValueError, match=r"mark 1 \(trace 2\)"):
        gp.normalize_distance_by_marks(b, 1.0, 0.1, marks=[5, 2])
    with pytest.raises(ValueError, match="'spacing' = -0.1"):
        gp.normalize_distance_by_marks(b, 1.0, -0.1, marks=[2, 5])
    with pytest.raises(ValueError, match="'mark_spacing' = 0"):
        gp.normalize_distance_by_marks(b, 0.0, 0.1, marks=[2, 5])
    with pytest.raises(ValueError, match=r"shape \(n_traces, 3\) = \(20, 3\)"):
        gp.normalize_distance_by_positions(b, 0.1, positions=np.zeros((19, 3)))
    with pytest.raises(ValueError, match="no positions"):
        gp.normalize_distance_by_positions(b, 0.1)
    with pytest.raises(ValueError, match="partial"):
        gp.stack_traces(b, 2, partial="keep")


# ------------------------------------------------------------------ saturation

def _digitised(clipped, nt=60, seed=9):
    rng = np.random.default_rng(seed)
    t = np.arange(300)[:, None] * DT
    j = np.arange(nt)
    amplitude = np.where(np.isin(j, clipped), 60000.0 + 500 * j, 20000.0 + 150 * j)
    v = amplitude * _ricker(t - 5e-9) + rng.normal(0, 30, (300, nt))
    return np.clip(np.round(v), -32768, 32767).astype(np.float32)


def test_saturation_finds_the_planted_clipped_traces_and_warns():
    planted = [3, 4, 17, 41, 59]
    b = gp.BScan(_digitised(planted), dt=DT, dx=0.01)
    before = b.data.copy()
    with pytest.warns(gp.SaturationWarning, match="5 of 60 traces"):
        r = gp.detect_saturation(b)
    assert list(r.saturated_traces) == planted
    assert (r.low, r.high) == (-32768.0, 32767.0) and r.low_inferred and r.high_inferred
    assert np.array_equal(b.data, before)  # never changes the data ...
    assert b.history[-1]["operation"] == "saturation_warning"  # ... but says so in the history
    assert b.history[-1]["parameters"]["first_saturated_traces"] == planted
    assert list(gp.detect_saturation(b, bits=16, warn=False).saturated_traces) == planted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clean = gp.detect_saturation(_digitised([]), dt=DT)  # bare array, nothing to warn about
    assert not clean.exceeded and math.isinf(clean.high)
    with pytest.raises(ValueError, match="'threshold' = 1.5"):
        gp.detect_saturation(b, threshold=1.5)
    with pytest.raises(ValueError, match="bits or low/high"):
        gp.detect_saturation(b, bits=16, low=0)


def test_saturation_in_real_field_files(shared_data):
    # pulseEKKO LINE00: the direct wave clips the 16-bit samples on every trace,
    # in runs of 9 to 27 samples right after time zero (sample 131.46).
    line = gp.read_dt1(shared_data("field/LINE00.DT1"))
    with pytest.warns(gp.SaturationWarning):
        r = gp.detect_saturation(line)
    assert (r.low, r.high) == (-32768.0, 32767.0)
    assert r.saturated_traces.size == line.n_traces
    at_limit = (line.data <= -32768) | (line.data >= 32767)
    rows = np.nonzero(at_limit.any(axis=1))[0]
    assert rows.min() >= 131 and rows.max() <= 131 + 60  # the direct-wave window
    assert r.longest_run.min() >= 3
    # SIR-3000: only the scan header word (sample 0) reads -32768; the record is not clipped.
    dzt = gp.read_dzt(shared_data("field/gssi_sir3000_400MHz.DZT"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not gp.detect_saturation(dzt).exceeded
        assert not gp.detect_saturation(dzt, bits=16).exceeded


# ------------------------------------------------------------------ topography

def test_static_correction_flattens_a_reflector_under_known_topography():
    nt = 120
    z = 10.0 + 0.3 * np.sin(2 * np.pi * np.arange(nt) / 80) + 0.002 * np.arange(nt)
    t0 = -2e-9
    t = t0 + np.arange(600)[:, None] * DT
    data = _ricker(t - 2 * (z[None, :] - 9.5) / V).astype(np.float32)
    b = gp.BScan(data, dt=DT, t0=t0, dx=0.05, positions=np.stack([np.arange(nt) * 0.05, 0 * z, z], axis=1))
    before = _centres(b.data, t0=t0)
    assert np.ptp(before) > 50 * DT
    c = gp.correct_topography(b, V)
    expected = 2 * (z.max() - 9.5) / V
    after = _centres(c.data, t0=t0)
    assert np.abs(after - expected).max() < 0.1 * DT
    assert c.n_samples == 600 + math.ceil(2 * np.ptp(z) / V / DT) and c.t0 == t0
    assert c.history[-1]["operation"] == "correct_topography"
    assert c.history[-1]["parameters"]["datum"] == pytest.approx(z.max())
    bare = gp.correct_topography(data, V, elevations=z, dt=DT, t0=t0)
    np.testing.assert_array_equal(bare, c.data)
    bad = z.copy()
    bad[7] = np.nan
    with pytest.raises(ValueError, match=r"elevations\[7\]"):
        gp.correct_topography(b, V, elevations=bad)
    with pytest.raises(ValueError, match="lies below"):
        gp.correct_topography(b, V, datum=z.max() - 1)
    with pytest.raises(ValueError, match="m/ns"):
        gp.correct_topography(b, 0.1e9 * 100)
    with pytest.raises(ValueError, match="needs elevations"):
        gp.correct_topography(data, V, dt=DT)


@pytest.mark.gpu
def test_cupy_in_cupy_out_matches_cpu():
    cupy = pytest.importorskip("cupy")
    rng = np.random.default_rng(3)
    data = rng.standard_normal((300, 97)).astype(np.float32)
    gpu_in = cupy.asarray(data)
    for op, kwargs in [(gp.stack_traces, {"traces": 3}), (gp.decimate_traces, {"factor": 4})]:
        cpu = op(data, dx=0.01, **kwargs)
        gpu = op(gpu_in, dx=0.01, device="cuda", **kwargs)
        assert isinstance(gpu, cupy.ndarray)
        np.testing.assert_allclose(cupy.asnumpy(gpu), cpu, atol=1e-6 * np.abs(cpu).max())
    z = np.linspace(3, 3.4, 97)
    cpu = gp.correct_topography(data, V, elevations=z, dt=DT)
    gpu = gp.correct_topography(gpu_in, V, elevations=z, dt=DT, device="cuda")
    np.testing.assert_allclose(cupy.asnumpy(gpu), cpu, atol=1e-5 * np.abs(cpu).max())
    clipped = np.clip(data, -1.5, 1.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = gp.detect_saturation(clipped, dt=DT)
        g = gp.detect_saturation(cupy.asarray(clipped), dt=DT, device="cuda")
    np.testing.assert_array_equal(a.fraction, g.fraction)
