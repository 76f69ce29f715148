"""gprMax reading (values equal to h5py's), our HDF5 layout (bit-exact round
trips, plain-h5py readability, several groups per file) and the no-copy hand
over of samples read in C++."""
import json

import numpy as np
import pytest

import gprproc as gp

pytestmark = pytest.mark.io  # needs the HDF5 I/O component (skipped in a compute-only build)

h5py = pytest.importorskip("h5py", reason="h5py is needed to check files independently")

CYLINDER_V4 = "gprmax/cylinder_Bscan_2D_v4_merged.h5"
CYLINDER_V3_ASCAN = "gprmax/cylinder_Ascan_2D_v3.0.6.out"
DRY_SAND = "landmines/pmn_dry_sand_merged.out"
DRY_SAND_SERIES = "landmines/pmn_dry_sand_traces/pmn_dry_sand"


def h5(path, dataset):
    with h5py.File(path, "r") as f:
        return f[dataset][()], dict(f.attrs)


# -- gprMax ------------------------------------------------------------------

@pytest.mark.parametrize("component", ["Ez", "Ex", "Hy"])
def test_gprmax_v4_merged_equals_h5py(shared_data, component):
    path = shared_data(CYLINDER_V4)
    expected, attrs = h5(path, f"/rxs/rx1/{component}")
    b = gp.read_gprmax(path, component=component)
    assert isinstance(b, gp.BScan)
    assert b.shape == expected.shape == (637, 64)
    assert b.data.dtype == np.float32 and b.data.flags.c_contiguous
    np.testing.assert_array_equal(b.data, expected)
    assert b.dt == attrs["dt"]
    assert b.dx == pytest.approx(0.002, rel=1e-12)  # rxsteps [1,0,0] x cell 2 mm
    assert b.component == component


def test_gprmax_v3_ascan_is_one_trace(shared_data):
    path = shared_data(CYLINDER_V3_ASCAN)
    expected, attrs = h5(path, "/rxs/rx1/Ez")
    b = gp.read_gprmax(path)
    assert b.shape == (637, 1)
    np.testing.assert_array_equal(b.data[:, 0], expected)
    assert b.dt == attrs["dt"]


def test_gprmax_current_component_of_v3(shared_data):
    path = shared_data(CYLINDER_V3_ASCAN)
    expected, _ = h5(path, "/rxs/rx1/Iz")
    np.testing.assert_array_equal(gp.read_gprmax(path, component="Iz").data[:, 0], expected)


def test_gprmax_merged_without_steps_takes_dx_from_the_caller(shared_data):
    path = shared_data(DRY_SAND)
    expected, attrs = h5(path, "/rxs/rx1/Ez")
    b = gp.read_gprmax(path, dx=0.01)
    assert b.shape == (1697, 70)
    np.testing.assert_array_equal(b.data, expected)
    assert b.dt == attrs["dt"] and b.dx == 0.01


def test_gprmax_numbered_series_equals_merged_file(shared_data):
    series = shared_data(DRY_SAND_SERIES + "1.out")
    merged, _ = h5(shared_data(DRY_SAND), "/rxs/rx1/Ez")
    b = gp.read_gprmax(str(series)[: -len("1.out")])
    assert b.shape == (1697, 70)
    np.testing.assert_array_equal(b.data, merged)
    assert b.dx == pytest.approx(0.01, rel=1e-12)  # rxsteps 5 cells x 2 mm


def test_read_recognises_gprmax_by_content(shared_data):
    path = shared_data(CYLINDER_V4)
    expected, _ = h5(path, "/rxs/rx1/Ez")
    np.testing.assert_array_equal(gp.read(path).data, expected)


def test_samples_read_in_cpp_reach_numpy_without_a_copy(shared_data):
    b = gp.read_gprmax(shared_data(CYLINDER_V4))
    # The array does not own its memory: it is a view of the C++ vector, kept
    # alive by a capsule (a copy would own its data).
    assert not b.data.flags.owndata
    assert b.data.base is not None and not isinstance(b.data.base, np.ndarray)
    assert b.data.flags.writeable


def test_list_groups_of_gprmax_file(shared_data):
    groups = gp.list_groups(shared_data(CYLINDER_V4))
    assert groups and all(g["kind"] == "gprmax" for g in groups)
    assert any(g["name"].endswith("Ez") and g["shape"] == (637, 64) for g in groups)


# -- our layout ----------------------------------------------------------------

def awkward_bscan(n_samples=300, n_traces=23):
    rng = np.random.default_rng(7)
    data = rng.standard_normal((n_samples, n_traces)).astype(np.float32) * 1e3
    data[0, 0], data[0, 1], data[0, 2] = -0.0, np.float32(1e-42), np.finfo(np.float32).max  # sign, subnormal, max
    b = gp.BScan(data, dt=4.717308673499368e-12, t0=-0.943e-9, dx=0.01, x0=0.1, antenna_offset=0.04,
                 antenna_height=0.03, center_frequency=1.5e9, component="Ez", source="unit test \u00b5 \"quoted\"")
    b.history = [{"operation": "read_gprmax", "parameters": {"path": "x.out", "component": "Ez"},
                  "library_version": "0.1.0"},
                 {"operation": "dewow", "parameters": {"window": 1e-9, "list": [1, 2.5], "flag": True},
                  "library_version": gp.__version__}]
    b.positions = np.column_stack([0.1 + 0.01 * np.arange(n_traces), np.zeros(n_traces), np.full(n_traces, 0.03)])
    return b


def test_write_read_round_trip_is_bit_exact(tmp_path):
    b = awkward_bscan()
    path = tmp_path / "roundtrip.h5"
    gp.write(path, b)
    r = gp.read(path)
    assert r.shape == b.shape
    np.testing.assert_array_equal(r.data.view(np.uint32), b.data.view(np.uint32))
    for name in ("dt", "t0", "dx", "x0", "antenna_offset", "antenna_height", "center_frequency", "component",
                 "source"):
        assert getattr(r, name) == getattr(b, name), name
    assert r.history == b.history
    np.testing.assert_array_equal(r.positions, b.positions)


def test_round_trip_without_positions_or_compression(tmp_path):
    b = awkward_bscan()
    b.positions = None
    gp.write(tmp_path / "plain.h5", b, compression_level=0)
    r = gp.read(tmp_path / "plain.h5")
    assert r.positions is None
    np.testing.assert_array_equal(r.data.view(np.uint32), b.data.view(np.uint32))


def test_our_files_read_with_plain_h5py(tmp_path):
    b = awkward_bscan()
    path = tmp_path / "plain_h5py.h5"
    gp.write(path, b, group="line_007")
    with h5py.File(path, "r") as f:
        group = f["line_007"]
        np.testing.assert_array_equal(group["data"][()], b.data)
        assert group["data"].dtype == np.float32
        assert group.attrs["dt"] == b.dt and group.attrs["dx"] == b.dx and group.attrs["t0"] == b.t0
        history = group.attrs["history"]
        history = json.loads(history.decode() if isinstance(history, bytes) else history)
        assert [step["operation"] for step in history] == ["read_gprmax", "dewow"]
        np.testing.assert_array_equal(group["positions"][()], b.positions)


def test_several_groups_in_one_file(tmp_path):
    path = tmp_path / "survey.h5"
    first, second = awkward_bscan(100, 5), awkward_bscan(80, 7)
    gp.write(path, first, group="line_001")
    gp.write(path, second, group="line_002")
    names = {g["name"].strip("/"): g for g in gp.list_groups(path)}
    assert set(names) == {"line_001", "line_002"}
    assert names["line_002"]["kind"] == "bscan" and names["line_002"]["shape"] == (80, 7)
    np.testing.assert_array_equal(gp.read(path, group="line_002").data, second.data)
    np.testing.assert_array_equal(gp.read(path, group="/line_001").data, first.data)


def test_existing_group_needs_overwrite(tmp_path):
    path = tmp_path / "twice.h5"
    b = awkward_bscan(20, 3)
    gp.write(path, b)
    with pytest.raises(ValueError, match="already exists"):
        gp.write(path, b)
    np.testing.assert_array_equal(gp.read(path).data, b.data)  # the file is unchanged
    c = b.copy()
    c.data[...] = 1.0
    gp.write(path, c, overwrite=True)
    np.testing.assert_array_equal(gp.read(path).data, 1.0)


def test_write_takes_a_pathlike_and_rejects_other_objects(tmp_path):
    with pytest.raises(TypeError, match="BScan or a DepthImage"):
        gp.write(tmp_path / "x.h5", np.zeros((3, 3), dtype=np.float32))


@pytest.mark.parametrize("velocity", [1.5e8, {"layer_tops": [0.0, 0.12], "velocities": [1.5e8, 0.9e8]}])
def test_depth_image_round_trip(tmp_path, velocity):
    pixels = np.random.default_rng(3).standard_normal((40, 23)).astype(np.float32)
    img = gp.DepthImage(pixels, dz=2e-3, z0=0.0, dx=0.01, x0=0.1, velocity=velocity,
                        history=[{"operation": "migrate", "parameters": {"method": "kirchhoff"},
                                  "library_version": gp.__version__}])
    path = tmp_path / "image.h5"
    gp.write(path, img)
    r = gp.read_image(path)
    np.testing.assert_array_equal(r.data.view(np.uint32), pixels.view(np.uint32))
    assert (r.dz, r.z0, r.dx, r.x0) == (img.dz, img.z0, img.dx, img.x0)
    assert r.velocity == img.velocity
    assert r.history == img.history
    assert any(g["kind"] == "depth_image" for g in gp.list_groups(path))


def test_bscan_and_image_share_a_file(tmp_path):
    path = tmp_path / "both.h5"
    b = awkward_bscan(30, 4)
    gp.write(path, b)
    gp.write(path, gp.DepthImage(np.ones((10, 4), dtype=np.float32), dz=1e-3, dx=0.01, velocity=1e8))
    np.testing.assert_array_equal(gp.read(path, group="bscan").data, b.data)
    np.testing.assert_array_equal(gp.read_image(path, group="migrated").data, 1.0)
