"""gp.crop (by coordinate) and b[i0:i1, j0:j1] (by index), np.asarray(b) and
the coordinate arrays b.time, b.x (img.depth, img.x): the values kept are the
input's, the axes move with them (checked against the input's own axes), ranges
outside the record are errors, and a history step records the window."""
import numpy as np
import pytest

import gprproc as gp

DT, T0, DX, X0 = 1e-10, -0.5e-9, 0.02, 0.3


def ramp(n_samples=40, n_traces=12):
    """Sample i of trace j holds 1000 i + j: every value names its position."""
    data = (1000.0 * np.arange(n_samples)[:, None] + np.arange(n_traces)[None, :]).astype(np.float32)
    positions = np.column_stack([X0 + DX * np.arange(n_traces), np.zeros(n_traces), np.full(n_traces, 0.03)])
    return gp.BScan(data, dt=DT, t0=T0, dx=DX, x0=X0, antenna_offset=0.04, center_frequency=1e9,
                    positions=positions, marks=[1, 4, 7, 11], history=[{"operation": "read", "parameters": {}}])


def test_coordinate_arrays_and_asarray():
    b = ramp()
    np.testing.assert_allclose(b.time, T0 + DT * np.arange(40), rtol=0, atol=1e-24)
    np.testing.assert_allclose(b.x, X0 + DX * np.arange(12), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(b.time, b.times())  # the methods keep working
    np.testing.assert_array_equal(b.x, b.positions_x())
    a = np.asarray(b)
    assert a.dtype == np.float32 and a.shape == (40, 12)
    assert np.shares_memory(a, b.data)  # no copy unless asked
    assert np.asarray(b, dtype=np.float64).dtype == np.float64
    assert not np.shares_memory(np.array(b), b.data)
    img = gp.DepthImage(np.zeros((5, 3), np.float32), dz=0.01, z0=0.02, dx=0.05, x0=1.0)
    np.testing.assert_allclose(img.depth, 0.02 + 0.01 * np.arange(5))
    np.testing.assert_allclose(img.x, 1.0 + 0.05 * np.arange(3))
    np.testing.assert_allclose(img.x(), img.x)  # x was a method: calling it still works
    assert np.asarray(img).shape == (5, 3)


def test_crop_by_time_and_x_keeps_the_values_and_moves_the_axes():
    b = ramp()
    t_start, t_end = b.time[5], b.time[17]  # samples 5..16 (end excluded)
    x_start, x_end = b.x[2] - 0.001, b.x[9] + 0.001  # traces 2..9
    c = gp.crop(b, time=(t_start, t_end), x=(x_start, x_end))
    np.testing.assert_array_equal(c.data, b.data[5:17, 2:10])
    # Every kept value sits at the same time and position as in the input.
    assert c.t0 == pytest.approx(b.time[5], abs=1e-22) and c.x0 == pytest.approx(b.x[2], abs=1e-15)
    np.testing.assert_allclose(c.time, b.time[5:17], rtol=0, atol=1e-22)
    np.testing.assert_allclose(c.x, b.x[2:10], rtol=0, atol=1e-15)
    assert (c.dt, c.dx, c.antenna_offset, c.center_frequency) == (DT, DX, 0.04, 1e9)
    np.testing.assert_array_equal(c.positions, b.positions[2:10])
    np.testing.assert_array_equal(c.marks, [2, 5])  # marks on traces 4 and 7
    step = c.history[-1]
    assert step["operation"] == "crop" and c.history[:-1] == b.history
    assert (step["parameters"]["sample_begin"], step["parameters"]["sample_end"]) == (5, 17)
    assert (step["parameters"]["trace_begin"], step["parameters"]["trace_end"]) == (2, 10)
    assert step["parameters"]["time"] == [t_start, t_end]


def test_crop_none_ends_and_the_whole_record():
    b = ramp()
    whole = gp.crop(b)
    np.testing.assert_array_equal(whole.data, b.data)
    assert not np.shares_memory(whole.data, b.data)
    tail = gp.crop(b, time=(b.time[30], None))
    np.testing.assert_array_equal(tail.data, b.data[30:])
    # The end may be one sample past the last (the record's end, exclusive).
    np.testing.assert_array_equal(gp.crop(b, time=(None, T0 + 40 * DT)).data, b.data)


@pytest.mark.parametrize("keywords, words", [
    ({"time": (T0 - 1e-9, 0.0)}, "before the record's first sample"),
    ({"time": (0.0, 1e-6)}, "past the record"),
    ({"x": (0.0, 0.5)}, "before the record's first sample"),
    ({"x": (0.5, 9.0)}, "past the record"),
    ({"time": (1e-9, 1e-9)}, "holds no sample"),
    ({"time": (2e-9, 1e-9)}, "holds no sample"),
    ({"time": 1e-9}, "pair"),
])
def test_ranges_outside_the_record_are_errors_not_clamps(keywords, words):
    with pytest.raises(ValueError, match=words):
        gp.crop(ramp(), **keywords)


def test_crop_checks_its_argument_kinds():
    with pytest.raises(TypeError, match="BScan or a DepthImage"):
        gp.crop(np.zeros((4, 4), np.float32), time=(0, 1e-9))
    with pytest.raises(TypeError, match="depth"):
        gp.crop(ramp(), depth=(0, 0.1))
    with pytest.raises(TypeError, match="time"):
        gp.crop(ramp(), time=("0", 1e-9))


def test_slicing_by_index_with_a_trace_step():
    b = ramp()
    c = b[3:20, 1:12:3]  # traces 1, 4, 7, 10
    np.testing.assert_array_equal(c.data, b.data[3:20, 1:12:3])
    assert c.dx == pytest.approx(3 * DX) and c.x0 == pytest.approx(b.x[1])
    np.testing.assert_allclose(c.x, b.x[1:12:3], atol=1e-15)
    np.testing.assert_array_equal(c.positions, b.positions[1:12:3])
    # Marks 1, 4, 7 on kept traces; 11 lies past the last kept trace (10) but in the window: on it.
    np.testing.assert_array_equal(c.marks, [0, 1, 2, 3])
    assert c.history[-1]["parameters"]["trace_step"] == 3
    d = b[-10:, :4]  # negative starts count from the end, as numpy
    np.testing.assert_array_equal(d.data, b.data[-10:, :4])
    assert d.t0 == pytest.approx(b.time[30], abs=1e-22)
    np.testing.assert_array_equal(b[5:9].data, b.data[5:9])  # one slice: samples


def test_marks_on_skipped_traces_move_to_the_nearest_kept_one():
    b = ramp()
    b.marks = [2, 3, 5]
    c = b[:, 0:12:2]  # kept traces 0, 2, 4, ...: 3 is a tie (goes to 4), 5 goes to 6
    np.testing.assert_array_equal(c.marks, [1, 2, 3])


@pytest.mark.parametrize("key, error, words", [
    ((slice(0, 50), slice(None)), IndexError, "outside"),
    ((slice(None), slice(0, 13)), IndexError, "outside"),
    ((slice(5, 5), slice(None)), IndexError, "selects no"),
    ((slice(None), slice(None, None, -1)), ValueError, "positive"),
    ((slice(None, None, 2), slice(None)), ValueError, "alias"),
    ((3, slice(None)), TypeError, "slice"),
    ((slice(None), slice(None), slice(None)), IndexError, "too many"),
])
def test_bad_slices_are_refused(key, error, words):
    with pytest.raises(error, match=words):
        ramp()[key]


def test_depth_image_crop_and_slicing():
    data = (100.0 * np.arange(30)[:, None] + np.arange(8)[None, :]).astype(np.float32)
    img = gp.DepthImage(data, dz=0.005, z0=0.01, dx=0.02, x0=0.1, velocity=1e8,
                        history=[{"operation": "migrate", "parameters": {}}])
    c = gp.crop(img, depth=(0.05, 0.1), x=(0.14, None))
    np.testing.assert_array_equal(c.data, data[8:18, 2:])
    assert c.z0 == pytest.approx(0.05) and c.x0 == pytest.approx(0.14) and c.velocity == 1e8
    np.testing.assert_allclose(c.depth, img.depth[8:18])
    assert c.history[-1]["operation"] == "crop" and c.history[-1]["parameters"]["row_begin"] == 8
    s = img[::, ::2]
    assert s.dx == pytest.approx(0.04)
    np.testing.assert_array_equal(s.data, data[:, ::2])
    with pytest.raises(ValueError, match="past the record"):
        gp.crop(img, depth=(0.02, 1.0))
    with pytest.raises(TypeError, match="time"):
        gp.crop(img, time=(0, 1e-9))


def test_crop_feeds_the_operations():
    # A crop is an ordinary B-scan: its axes drive an operation's history and output.
    b = gp.BScan(np.random.default_rng(1).standard_normal((200, 30)).astype(np.float32), dt=DT, dx=DX)
    c = b[50:150, 5:25]
    out = gp.dewow(c, 1e-9)
    assert out.t0 == pytest.approx(50 * DT) and out.x0 == pytest.approx(5 * DX)
    assert [h["operation"] for h in out.history] == ["crop", "dewow"]


@pytest.mark.gpu
def test_cupy_crop_stays_on_the_device(cupy):
    b = ramp()
    d = gp.BScan(cupy.asarray(b.data), dt=DT, t0=T0, dx=DX, x0=X0)
    for key in ((slice(3, 20), slice(1, 12)), (slice(3, 20), slice(1, 12, 3))):
        c = d[key]
        assert isinstance(c.data, cupy.ndarray)
        np.testing.assert_array_equal(cupy.asnumpy(c.data), b.data[key])
    with pytest.raises(TypeError, match="CuPy"):
        np.asarray(d)
