"""3-D migration from Python: point diffractors in a synthetic cube (travel
times by a Fermat search written here, vectorised golden sections over the
surface crossing point) focus at their true (x, y, depth); DepthImage3D's
grid; duck-typed cubes; plans; bad input; CPU/GPU agreement (gpu marker)."""
import math
import threading

import numpy as np
import pytest

import gprproc as gp
from gprproc import _core

C = 299792458.0
V = 1.0e8
DT, T0, DX, DY = 0.05e-9, -1.0e-9, 0.02, 0.02
N_LINES, N_SAMPLES, N_TRACES = 15, 220, 25
FREQUENCY = 0.8e9


def _golden(f, lo, hi, iterations=48):
    """Elementwise minimum over [lo, hi] of a convex f (arrays)."""
    g = 0.5 * (math.sqrt(5.0) - 1.0)
    a, b = lo.copy(), hi.copy()
    for _ in range(iterations):
        u1, u2 = b - g * (b - a), a + g * (b - a)
        left = f(u1) < f(u2)
        b = np.where(left, u2, b)
        a = np.where(left, a, u1)
    return f(0.5 * (a + b))


def _leg(ax, ay, point, height):
    """Fermat time from antennas at (ax, ay), `height` above the ground, to the point below."""
    x, y, z = point
    hx, hy = x - ax, y - ay
    if height <= 0:
        return np.sqrt(hx ** 2 + hy ** 2 + z ** 2) / V

    def time(a, b):
        return np.sqrt(a ** 2 + b ** 2 + height ** 2) / C + np.sqrt((hx - a) ** 2 + (hy - b) ** 2 + z ** 2) / V

    a_lo, a_hi = np.minimum(0, hx), np.maximum(0, hx)
    b_lo, b_hi = np.minimum(0, hy), np.maximum(0, hy)
    return _golden(lambda b: _golden(lambda a: time(a, b), a_lo, a_hi), b_lo, b_hi)


def _cube(points, offset=0.0, height=0.0):
    """(n_lines, n_samples, n_traces) float32: d/dt Ricker at each diffractor's two-way time."""
    my, mx = np.meshgrid(DY * np.arange(N_LINES), DX * np.arange(N_TRACES), indexing="ij")
    t = T0 + DT * np.arange(N_SAMPLES)
    data = np.zeros((N_LINES, N_SAMPLES, N_TRACES))
    for p in points:
        tt = _leg(mx - offset / 2, my, p, height) + _leg(mx + offset / 2, my, p, height)
        a = math.pi * FREQUENCY * (t[None, :, None] - tt[:, None, :])
        data += -(6 * a - 4 * a ** 3) * np.exp(-a ** 2) / 2.0
    return data.astype(np.float32)


POINT = (0.24, 0.14, 0.15)     # on trace 12 and line 7
BETWEEN = (0.24, 0.15, 0.15)   # half-way between lines 7 and 8


class FakeCube:
    """What the lead's gprproc.Cube offers: the duck type migrate_3d accepts."""

    def __init__(self, data, **geometry):
        self.data = data
        self.dt, self.t0, self.dx, self.x0 = DT, T0, DX, 0.0
        self.dy, self.y0 = DY, 0.0
        self.antenna_offset = self.antenna_height = 0.0
        self.center_frequency = FREQUENCY
        self.history = [{"operation": "made", "parameters": {}, "library_version": "test"}]
        for name, value in geometry.items():
            setattr(self, name, value)


def _axes(img):
    """(y, depth, x) of the image's lines, rows and columns, from its grid attributes."""
    return (img.y0 + img.dy * np.arange(img.data.shape[0]), img.z0 + img.dz * np.arange(img.data.shape[1]),
            img.x0 + img.dx * np.arange(img.data.shape[2]))


def _focus(img, point, radius=0.05):
    data = img.data
    ys, zs, xs = _axes(img)
    y, z, x = np.meshgrid(ys, zs, xs, indexing="ij")
    near = (np.abs(x - point[0]) <= radius) & (np.abs(y - point[1]) <= radius) & (np.abs(z - point[2]) <= radius)
    masked = np.where(near, np.abs(data), -1.0)
    j, r, i = np.unravel_index(np.argmax(masked), data.shape)
    return xs[i], ys[j], zs[r], float(data[j, r, i])


@pytest.mark.parametrize("method", ["kirchhoff", "phase_shift", "stolt"])
@pytest.mark.parametrize("offset,height", [(0.0, 0.0), (0.04, 0.03)])
def test_point_diffractor_focuses_at_its_position(method, offset, height):
    data = _cube([POINT], offset, height)
    img = gp.migrate_3d(data, method=method, velocity=V, dz=0.005, depth=0.25, dt=DT, t0=T0, dx=DX, dy=DY,
                        antenna_offset=offset, antenna_height=height, device="cpu")
    assert isinstance(img, gp.DepthImage3D)
    assert img.data.shape == (N_LINES, 51, N_TRACES) and img.data.dtype == np.float32
    x, y, z, value = _focus(img, POINT)
    assert abs(x - POINT[0]) <= DX + 1e-9
    assert abs(y - POINT[1]) <= DY + 1e-9
    assert abs(z - POINT[2]) <= 0.005 + 1e-9
    assert value > 0  # the zero-phase Ricker's positive peak


def test_between_lines_and_depth_slice():
    data = _cube([BETWEEN])
    img = gp.migrate_3d(data, velocity=V, dz=0.005, depth=0.25, dt=DT, t0=T0, dx=DX, dy=DY, aperture=0.2,
                        device="cpu")
    row = int(round(BETWEEN[2] / img.dz))
    c_scan = np.abs(img.data[:, row, :])  # the depth slice at the diffractor's depth
    j, i = np.unravel_index(np.argmax(c_scan), c_scan.shape)
    ys, _, xs = _axes(img)
    assert abs(xs[i] - BETWEEN[0]) <= DX + 1e-9
    assert abs(ys[j] - BETWEEN[1]) <= DY + 1e-9
    assert c_scan[7].max() == pytest.approx(c_scan[8].max(), rel=0.1)


def test_image_grid_history_and_duck_typed_cube():
    cube = FakeCube(_cube([POINT]), x0=1.0, y0=2.0)
    img = gp.migrate_3d(cube, method="phase_shift", velocity={"layer_tops": [0.0, 0.1], "velocities": [V, V]},
                        dz=0.005, depth=0.25, z0=0.01, device="cpu")
    assert (img.dx, img.dy, img.dz, img.x0, img.y0, img.z0) == (DX, DY, 0.005, 1.0, 2.0, 0.01)
    assert img.velocity == {"layer_tops": [0.0, 0.1], "velocities": [V, V]}
    assert [s["operation"] for s in img.history] == ["made", "migrate_3d"]
    assert img.history[-1]["parameters"]["method"] == "phase_shift"
    x, y, z, _ = _focus(img, (POINT[0] + 1.0, POINT[1] + 2.0, POINT[2]))
    assert abs(x - POINT[0] - 1.0) <= DX + 1e-9 and abs(y - POINT[1] - 2.0) <= DY + 1e-9
    assert abs(z - POINT[2]) <= 0.005 + 1e-9
    with pytest.raises(TypeError, match="bare arrays"):
        gp.migrate_3d(cube, velocity=V, dz=0.005, depth=0.25, dt=DT)


def test_plan_executes_many_times_tiles_and_releases_the_gil():
    data = _cube([POINT])
    plan = gp.Kirchhoff3DPlan(data, velocity=V, dz=0.005, depth=0.25, aperture=0.1, dt=DT, t0=T0, dx=DX, dy=DY,
                              device="cpu")
    assert plan.shape == (N_LINES, 51, N_TRACES)
    assert plan.contributions > 0
    a = plan.execute(data, dt=DT, t0=T0, dx=DX, dy=DY)
    tiled = gp.Kirchhoff3DPlan(data, velocity=V, dz=0.005, depth=0.25, aperture=0.1, dt=DT, t0=T0, dx=DX, dy=DY,
                               tile_lines=2, tile_traces=7, device="cpu")
    assert tiled.tiles["tile_lines"] == 2 and tiled.tiles["tile_traces"] == 7
    # Two threads at once on one plan (the C++ side serialises them with the GIL released).
    results = [None, None]

    def run(k):
        results[k] = tiled.execute(data, dt=DT, t0=T0, dx=DX, dy=DY)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r.data, a.data)  # tiled = untiled, bit for bit
    with pytest.raises(ValueError, match="shape"):
        plan.execute(data[:-1], dt=DT, t0=T0, dx=DX, dy=DY)
    with pytest.raises(ValueError, match="dy"):
        plan.execute(data, dt=DT, t0=T0, dx=DX, dy=0.03)


def test_bad_input_names_the_problem():
    data = _cube([POINT])
    common = dict(velocity=V, dz=0.005, depth=0.25, dt=DT, dx=DX, device="cpu")
    with pytest.raises(ValueError, match="not a cube"):
        gp.migrate_3d(data[0], dy=DY, **common)
    with pytest.raises(ValueError, match="dy"):
        gp.migrate_3d(data, **common)
    with pytest.raises(ValueError, match="dy"):
        gp.migrate_3d(data, dy=-0.02, **common)
    with pytest.raises(ValueError, match="dz"):
        gp.migrate_3d(data, dy=DY, **{**common, "dz": 0.0})
    with pytest.raises(ValueError, match="method"):
        gp.migrate_3d(data, dy=DY, method="gazdag", **common)
    with pytest.raises(ValueError, match="constant velocity"):
        gp.migrate_3d(data, dy=DY, method="stolt", **{**common, "velocity": {"layer_tops": [0], "velocities": [V]}})
    with pytest.raises(TypeError, match="unknown option"):
        gp.migrate_3d(data, dy=DY, method="phase_shift", oversampling=2, **common)
    meta = _core.BScanMetadata(dt=DT, t0=T0, dx=DX)
    out = np.zeros((N_LINES, 50, N_TRACES), np.float32)  # one depth row short
    with pytest.raises(ValueError, match="output image has shape"):
        _core.migrate_kirchhoff_3d(data, out, meta, DY, 0.0, _core.VelocityModel.constant(V), 0.005, 0.25)
    with pytest.raises(ValueError, match="not a cube"):
        _core.migrate_phase_shift_3d(data[0], out, meta, DY, 0.0, _core.VelocityModel.constant(V), 0.005, 0.25)
    with pytest.raises(ValueError, match="float32"):
        _core.migrate_kirchhoff_3d(data.astype(np.float64), out, meta, DY, 0.0, _core.VelocityModel.constant(V),
                                   0.005, 0.25)


@pytest.mark.gpu
@pytest.mark.parametrize("method", ["kirchhoff", "phase_shift", "stolt"])
def test_cuda_matches_cpu_with_numpy_and_cupy(method, cupy):
    data = _cube([POINT, BETWEEN], 0.04, 0.03)
    common = dict(method=method, velocity=V, dz=0.005, depth=0.25, dt=DT, t0=T0, dx=DX, dy=DY,
                  antenna_offset=0.04, antenna_height=0.03)
    cpu = gp.migrate_3d(data, device="cpu", **common)
    gpu = gp.migrate_3d(data, device="cuda", **common)
    peak = float(np.max(np.abs(cpu.data)))
    assert np.max(np.abs(gpu.data - cpu.data)) <= 2e-3 * peak
    d = gp.migrate_3d(cupy.asarray(data), device="cuda", **common)
    assert isinstance(d.data, cupy.ndarray)
    assert float(cupy.max(cupy.abs(d.data - cupy.asarray(cpu.data)))) <= 2e-3 * peak


def test_numpy_peer_sums_what_gprproc_sums(tmp_path):
    """benchmarks/peers/kirchhoff_3d_peer.py: its numpy 3-D Kirchhoff agrees with gprproc's (a speed ratio only
    counts when the answers agree); tiny size, one repetition."""
    import json
    import os
    import pathlib
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "peers" / "kirchhoff_3d_peer.py"
    out = tmp_path / "peer.json"
    subprocess.run([sys.executable, str(script), "--lines", "6", "--samples", "128", "--traces", "24", "--depths",
                    "20", "--radius", "4", "--repetitions", "1", "--json", str(out)],
                   check=True, env=dict(os.environ), capture_output=True, timeout=300)
    rows = {r["implementation"]: r for r in json.loads(out.read_text())["rows"]}
    numpy_row = rows["numpy (loop over aperture offsets)"]
    assert numpy_row["seconds"] > 0
    assert numpy_row["difference"] < 1e-5
