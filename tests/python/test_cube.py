"""Cubes of parallel lines in Python: construction, geometry checks, every
per-line operation equal to the line processed alone (bit for bit), the
cube-wide mean, slices and 3-D detection against planted truths."""
import pathlib

import numpy as np
import pytest

import gprproc as gp


def make_lines(n_lines=3, n_samples=160, n_traces=40, seed=3):
    rng = np.random.default_rng(seed)
    lines = []
    i = np.arange(n_samples)[:, None]
    j = np.arange(n_traces)[None, :]
    for k in range(n_lines):
        x = j - 10.0 - 3 * k
        u = (i - np.sqrt(50.0 ** 2 + 30.0 * x * x)) / 3.0
        flat = np.sin(0.2 * i) * np.exp(-0.02 * i) + 0.1 * k
        data = (flat + (1 - 2 * u * u) * np.exp(-u * u) + rng.normal(0, 0.01, (n_samples, n_traces))).astype(np.float32)
        lines.append(gp.BScan(data, dt=0.025e-9, dx=0.01, x0=0.1, t0=-0.5e-9, antenna_offset=0.04,
                              antenna_height=0.02))
    return lines


def test_cube_from_lines_and_line_views():
    lines = make_lines()
    c = gp.Cube.from_lines(lines, dy=0.05, y0=0.2)
    assert c.shape == (3, 160, 40)
    assert c.n_lines == 3 and c.dy == 0.05 and c.y0 == 0.2
    np.testing.assert_allclose(c.y, [0.2, 0.25, 0.3])
    assert c.history[-1]["operation"] == "cube_from_lines"
    for j, b in enumerate(lines):
        np.testing.assert_array_equal(c.line(j).data, b.data)
        assert c.line(j).antenna_offset == 0.04
    # a line is a view of the cube's memory
    view = c.line(1)
    view.data[0, 0] = 123.0
    assert c.data[1, 0, 0] == 123.0
    with pytest.raises(IndexError, match="line 3"):
        c.line(3)


@pytest.mark.parametrize("change, word", [("dt", "dt"), ("x0", "x0"), ("antenna_height", "antenna_height")])
def test_from_lines_names_the_line_that_differs(change, word):
    lines = make_lines()
    setattr(lines[2], change, getattr(lines[2], change) * 1.5 + 0.001)
    with pytest.raises(ValueError, match=f"line 2 .*{word}"):
        gp.Cube.from_lines(lines, dy=0.05)


def test_bad_cubes_are_refused():
    lines = make_lines()
    short = gp.BScan(np.zeros((159, 40), np.float32), dt=0.025e-9, dx=0.01)
    with pytest.raises(ValueError, match="line 1 .*shape"):
        gp.Cube.from_lines([lines[0], short], dy=0.05)
    with pytest.raises(ValueError, match="dy"):
        gp.Cube.from_lines(lines, dy=0.0)
    with pytest.raises(ValueError, match="dy"):
        gp.Cube(np.zeros((2, 4, 4), np.float32), dy=-1, dt=1e-10, dx=0.01)
    with pytest.raises(ValueError, match="3-D"):
        gp.Cube(np.zeros((4, 4), np.float32), dy=0.05, dt=1e-10, dx=0.01)
    with pytest.raises(ValueError, match="at least one line"):
        gp.Cube.from_lines([], dy=0.05)
    bad = np.zeros((2, 4, 4), np.float32)
    bad[1, 2, 3] = np.nan
    with pytest.raises(ValueError, match="line 1"):
        gp.Cube(bad, dy=0.05, dt=1e-10, dx=0.01)


OPERATIONS = [
    ("remove_dc", lambda x: gp.remove_dc(x)),
    ("dewow", lambda x: gp.dewow(x, 1e-9)),
    ("bandpass", lambda x: gp.bandpass(x, 0.3e9, 2e9, low_taper=0.2e9, high_taper=0.5e9)),
    ("envelope", lambda x: gp.envelope(x)),
    ("correct_time_zero", lambda x: gp.correct_time_zero(x)),
    ("shift_time_zero", lambda x: gp.shift_time_zero(x, 0.4e-9)),
    ("time_gain", lambda x: gp.time_gain(x, power=1.0, reference_time=1e-9)),
    ("agc", lambda x: gp.agc(x, 1e-9)),
    ("mean", lambda x: gp.remove_background(x, "mean")),
    ("moving_median", lambda x: gp.remove_background(x, "moving_median", window_traces=11)),
    ("svd", lambda x: gp.remove_background(x, "svd", rank="auto")),
]


@pytest.mark.parametrize("name, operation", OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_every_operation_equals_each_line_alone(name, operation):
    c = gp.Cube.from_lines(make_lines(), dy=0.05)
    out = operation(c)
    assert isinstance(out, gp.Cube)
    assert out.dy == 0.05 and out.n_lines == 3
    for j in range(3):
        alone = operation(c.line(j))
        np.testing.assert_array_equal(out.data[j], alone.data)
        assert out.t0 == alone.t0
    assert len(out.history) == len(c.history) + 1


def test_cube_wide_mean_removes_the_mean_of_every_trace_of_every_line():
    c = gp.Cube.from_lines(make_lines(), dy=0.05)
    out = gp.remove_background(c, "mean", scope="cube")
    mean = c.data.astype(np.float64).mean(axis=(0, 2))
    np.testing.assert_allclose(out.data, c.data - mean[None, :, None].astype(np.float32), atol=2e-6)
    # the per-line offsets 0.1 k survive (a line-wise mean would remove them)
    np.testing.assert_allclose(out.data[2].mean() - out.data[0].mean(), 0.2, atol=0.01)
    assert out.history[-1]["parameters"] == {"method": "mean", "scope": "cube"}
    with pytest.raises(ValueError, match="mean trace only"):
        gp.remove_background(c, "svd", scope="cube")
    bare = gp.remove_background(c.data, "mean", scope="cube")
    np.testing.assert_array_equal(bare, out.data)


def blob_image(points, noise=0.0, seed=1):
    n_lines, n_z, n_x = 16, 100, 40
    dz, dx, dy = 2e-3, 0.01, 0.02
    z = (np.arange(n_z) * dz)[None, :, None]
    x = (np.arange(n_x) * dx)[None, None, :]
    y = (np.arange(n_lines) * dy)[:, None, None]
    data = np.zeros((n_lines, n_z, n_x))
    for px, py, pz in points:
        u = (z - pz) / 0.006
        data += np.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * 0.015 ** 2)) * (1 - 2 * u * u) * np.exp(-u * u)
    data += np.random.default_rng(seed).normal(0, noise, data.shape) if noise else 0
    return gp.DepthImage3D(data.astype(np.float32), dz=dz, dx=dx, dy=dy, velocity=1e8)


@pytest.mark.parametrize("thickness", [None, 0.01])
def test_depth_slice_peaks_on_the_target(thickness):
    image = blob_image([(0.21, 0.14, 0.08)])
    cs = gp.depth_slice(image, 0.08, thickness)
    assert isinstance(cs, gp.CScan)
    assert cs.shape == (16, 40)
    x, y, value = cs.peak()
    assert x == pytest.approx(0.21) and y == pytest.approx(0.14)
    assert cs.measure == ("rms" if thickness else "envelope")
    if thickness is None:
        assert value == pytest.approx(1.0, abs=0.03)
    with pytest.raises(ValueError, match="outside the depth axis"):
        gp.depth_slice(image, 0.5)


def test_time_slice_rms_of_a_sine():
    t = np.arange(400) * 0.025e-9
    data = np.sin(2 * np.pi * 1e9 * t)[None, :, None] * (1 + np.arange(5))[None, None, :] * np.ones((2, 1, 1))
    c = gp.Cube(data.astype(np.float32), dy=0.1, dt=0.025e-9, dx=0.01)
    cs = gp.time_slice(c, 5e-9, window=4e-9)
    np.testing.assert_allclose(cs.data[1], (1 + np.arange(5)) / np.sqrt(2), rtol=0.01)
    with pytest.raises(ValueError, match="time"):
        gp.time_slice(c, 20e-9)


def test_3d_detection_finds_planted_targets():
    image = blob_image([(0.12, 0.06, 0.05), (0.28, 0.19, 0.12)], noise=0.01)
    found = gp.detect(image, min_separation=0.05)
    assert len(found) == 2
    for px, py, pz in [(0.12, 0.06, 0.05), (0.28, 0.19, 0.12)]:
        assert any(abs(t.x - px) <= 0.01 + 1e-9 and abs(t.y - py) <= 0.02 + 1e-9 and abs(t.depth - pz) <= 0.002 + 1e-9
                   for t in found), (px, py, pz, found)
    assert len(gp.detect(blob_image([], noise=0.01))) == 0


def test_line_by_line_migration_equals_each_line_migrated():
    c = gp.Cube.from_lines(make_lines(2), dy=0.05)
    image = gp.migrate(c, velocity=1.2e8, dz=2e-3, depth=0.15, line_by_line=True)
    assert isinstance(image, gp.DepthImage3D)
    assert image.dy == 0.05
    for j in range(2):
        alone = gp.migrate(c.line(j), velocity=1.2e8, dz=2e-3, depth=0.15)
        np.testing.assert_array_equal(image.data[j], alone.data)


@pytest.mark.io
def test_cubes_and_3d_images_round_trip_through_files(tmp_path):
    c = gp.Cube.from_lines(make_lines(), dy=0.05, y0=0.2)
    path = tmp_path / "survey.h5"
    gp.write(path, c)
    back = gp.read(path)                       # a cube group reads as a Cube
    assert isinstance(back, gp.Cube)
    np.testing.assert_array_equal(back.data, c.data)
    assert back.dy == 0.05 and back.y0 == 0.2 and back.antenna_offset == 0.04 and back.t0 == c.t0
    assert [s["operation"] for s in back.history] == [s["operation"] for s in c.history]
    part = gp.read_cube(path, lines=slice(1, 3))
    np.testing.assert_array_equal(part.data, c.data[1:3])
    assert part.y0 == pytest.approx(0.25)
    with pytest.raises(ValueError, match="outside"):
        gp.read_cube(path, lines=slice(2, 9))
    image = blob_image([(0.21, 0.14, 0.08)])
    gp.write(path, image)
    groups = {g["name"]: g for g in gp.list_groups(path)}
    assert groups["/cube"]["kind"] == "cube" and groups["/cube"]["shape"] == (3, 160, 40)
    assert groups["/migrated_3d"]["kind"] == "depth_image_3d"
    image_back = gp.read(path, "migrated_3d")
    assert isinstance(image_back, gp.DepthImage3D)
    np.testing.assert_array_equal(image_back.data, image.data)
    assert image_back.dy == image.dy and image_back.velocity == 1e8


@pytest.mark.io
def test_a_cube_from_one_gprmax_file_per_line():
    clay = str(pathlib.Path(__file__).resolve().parents[2] / "data" / "pmn_wet_clay_rough_merged.out")
    c = gp.read_gprmax_cube([clay, clay], dy=0.05, dx=0.01)
    assert c.shape == (2, 1697, 70)
    np.testing.assert_array_equal(c.data[1], gp.read_gprmax(clay, dx=0.01).data)
