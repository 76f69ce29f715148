"""BScan / DepthImage objects, the array boundary (no copies) and the _wrap
pattern every operation uses."""
import math

import numpy as np
import pytest

import gprproc as gp
from gprproc import _core, _wrap


def make(n_samples=50, n_traces=8, **metadata):
    values = dict(dt=4.7e-12, dx=0.01, x0=0.1, t0=-0.94e-9, antenna_offset=0.04, antenna_height=0.03)
    values.update(metadata)
    data = np.arange(n_samples * n_traces, dtype=np.float32).reshape(n_samples, n_traces)
    return gp.BScan(data, **values)


# -- the samples --------------------------------------------------------------

def test_float32_c_contiguous_input_is_kept_without_copy():
    data = np.random.default_rng(1).standard_normal((64, 16)).astype(np.float32)
    b = gp.BScan(data, dt=1e-11, dx=0.01)
    assert b.data is data
    assert np.shares_memory(b.data, data)
    data[3, 4] = 42.0
    assert b.data[3, 4] == 42.0


def test_array_support_sees_the_callers_memory():
    data = np.ones((5, 7), dtype=np.float32)
    info = _core._array_view_info(data)
    assert info == {"shape": (5, 7), "memory": "host", "pointer": data.ctypes.data}
    assert _core._array_view_info(data, writable=True)["pointer"] == data.ctypes.data


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.float16])
def test_other_dtypes_are_converted_to_float32(dtype):
    data = (np.arange(12).reshape(3, 4)).astype(dtype)
    b = gp.BScan(data, dt=1e-9)
    assert b.data.dtype == np.float32
    assert b.data.flags.c_contiguous
    np.testing.assert_array_equal(b.data, data.astype(np.float32))


def test_non_contiguous_input_is_made_contiguous():
    data = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4))
    b = gp.BScan(data)
    assert b.data.flags.c_contiguous
    np.testing.assert_array_equal(b.data, data)


def test_shape_properties():
    b = make(50, 8)
    assert b.shape == (50, 8) and b.n_samples == 50 and b.n_traces == 8
    assert b.device == "cpu"


def test_times_and_positions_axes():
    b = make(50, 8)
    np.testing.assert_allclose(b.times(), -0.94e-9 + 4.7e-12 * np.arange(50), rtol=0, atol=1e-24)
    np.testing.assert_allclose(b.positions_x(), 0.1 + 0.01 * np.arange(8), rtol=0, atol=1e-15)


def test_dt_unknown_is_allowed_but_times_needs_it():
    b = gp.BScan(np.zeros((4, 3), dtype=np.float32))
    assert b.dt is None and b.dx is None
    with pytest.raises(ValueError, match="dt"):
        b.times()


# -- metadata validation ------------------------------------------------------

@pytest.mark.parametrize("name,value", [
    ("dt", 0.0), ("dt", -1e-12), ("dt", math.nan), ("dt", math.inf),
    ("dx", 0.0), ("dx", -0.01),
    ("t0", math.nan), ("x0", math.inf),
    ("antenna_offset", -0.01), ("antenna_height", -0.03), ("center_frequency", -1.0),
    ("dt", "fast"),
])
def test_bad_metadata_is_value_error_naming_the_field(name, value):
    with pytest.raises(ValueError, match=name):
        make(**{name: value})
    b = make()
    with pytest.raises(ValueError, match=name):
        setattr(b, name, value)


def test_metadata_is_settable():
    b = make()
    b.t0 = -1e-9
    b.dt = 5e-12
    b.component = "Hy"
    assert (b.t0, b.dt, b.component) == (-1e-9, 5e-12, "Hy")
    with pytest.raises(ValueError, match="component"):
        b.component = 3


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0)])
def test_empty_data_is_value_error(shape):
    with pytest.raises(ValueError, match="empty"):
        gp.BScan(np.zeros(shape, dtype=np.float32), dt=1e-9)


@pytest.mark.parametrize("shape", [(10,), (2, 3, 4)])
def test_wrong_rank_is_value_error(shape):
    with pytest.raises(ValueError, match="2-D"):
        gp.BScan(np.zeros(shape, dtype=np.float32))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_samples_are_value_error_unless_allowed(bad):
    data = np.zeros((6, 4), dtype=np.float32)
    data[2, 3] = bad
    with pytest.raises(ValueError, match="sample 2, trace 3"):
        gp.BScan(data, dt=1e-9)
    b = gp.BScan(data, dt=1e-9, allow_non_finite=True)
    assert not np.isfinite(b.data[2, 3])


def test_positions():
    b = make(10, 4)
    assert b.positions is None
    b.positions = [[0.1 * j, 0.0, 0.03] for j in range(4)]
    assert b.positions.shape == (4, 3) and b.positions.dtype == np.float64
    with pytest.raises(ValueError, match="positions"):
        b.positions = np.zeros((3, 3))


def test_copy_is_independent():
    b = make()
    b.history = [{"operation": "read", "parameters": {"path": "x.h5"}, "library_version": "0.1.0"}]
    c = b.copy()
    c.data[0, 0] = -5.0
    c.history[0]["parameters"]["path"] = "y.h5"
    c.dt = 1e-9
    assert b.data[0, 0] == 0.0
    assert b.history[0]["parameters"]["path"] == "x.h5"
    assert b.dt == 4.7e-12
    assert not np.shares_memory(b.data, c.data)


def test_repr_names_shape_and_metadata():
    text = repr(make(50, 8, component="Ez"))
    assert "BScan(shape=(50, 8)" in text and "dt=4.7e-12 s" in text and "'Ez'" in text


def test_history_entries_are_checked():
    b = make()
    with pytest.raises(ValueError, match="history"):
        b.history = ["dewow"]


# -- DepthImage ---------------------------------------------------------------

def test_depth_image_axes_and_velocity():
    img = gp.DepthImage(np.zeros((20, 8), dtype=np.float32), dz=2e-3, z0=0.01, dx=0.01, x0=0.1, velocity=1.5e8)
    assert img.shape == (20, 8) and img.n_z == 20 and img.n_x == 8
    np.testing.assert_allclose(img.depths(), 0.01 + 2e-3 * np.arange(20))
    np.testing.assert_allclose(img.x(), 0.1 + 0.01 * np.arange(8))
    img.velocity = {"layer_tops": [0.0, 0.1], "velocities": [1.5e8, 1.0e8]}
    assert img.velocity["velocities"] == [1.5e8, 1.0e8]
    with pytest.raises(ValueError, match="layer tops"):
        img.velocity = {"layer_tops": [0.1, 0.0], "velocities": [1.5e8, 1.0e8]}
    with pytest.raises(ValueError, match="velocity"):
        img.velocity = -3.0
    with pytest.raises(ValueError, match="dz"):
        img.dz = 0.0
    assert "DepthImage(shape=(20, 8)" in repr(img)


# -- the _wrap pattern --------------------------------------------------------

def doubling_kernel(source, output, metadata, factor, device):
    """Stands in for a _core binding: checks the views like one and writes output."""
    assert isinstance(metadata, _core.BScanMetadata)
    assert device == "auto"
    assert _core._array_view_info(source)["shape"] == _core._array_view_info(output, writable=True)["shape"]
    output[...] = source * factor


def test_apply_on_a_bscan_returns_a_new_bscan_with_history():
    b = make(10, 4, component="Ez")
    result = _wrap.apply("double", doubling_kernel, b, {}, parameters={"factor": np.float32(2)}, args=(2.0,))
    assert isinstance(result, gp.BScan) and result is not b
    np.testing.assert_array_equal(result.data, b.data * 2)
    assert (result.dt, result.dx, result.t0, result.component) == (b.dt, b.dx, b.t0, "Ez")
    assert result.history == [{"operation": "double", "parameters": {"factor": 2.0},
                               "library_version": gp.__version__}]
    assert b.history == []


def test_apply_on_a_bare_array_returns_a_bare_array():
    data = np.ones((10, 4), dtype=np.float32)
    result = _wrap.apply("double", doubling_kernel, data, {"dt": 1e-9}, parameters={}, args=(3.0,))
    assert isinstance(result, np.ndarray) and result.dtype == np.float32
    np.testing.assert_array_equal(result, 3.0)


def test_apply_checks_keywords_device_and_required_metadata():
    with pytest.raises(TypeError, match="bare arrays"):
        _wrap.apply("double", doubling_kernel, make(), {"dt": 1e-9}, parameters={}, args=(2.0,))
    with pytest.raises(TypeError, match="unknown keyword"):
        _wrap.apply("double", doubling_kernel, np.ones((3, 3)), {"sample_rate": 1e9}, parameters={}, args=(2.0,))
    with pytest.raises(ValueError, match="device"):
        _wrap.apply("double", doubling_kernel, make(), {}, parameters={}, args=(2.0,), device="tpu")
    with pytest.raises(ValueError, match="needs the B-scan's dx"):
        _wrap.apply("double", doubling_kernel, np.ones((3, 3)), {"dt": 1e-9}, parameters={}, args=(2.0,),
                    require=("dt", "dx"))
    with pytest.raises(ValueError, match="dt"):
        _wrap.apply("double", doubling_kernel, np.ones((3, 3)), {"dt": -1.0}, parameters={}, args=(2.0,))


def test_core_metadata_carries_every_field():
    meta = _wrap.core_metadata(make(center_frequency=1.5e9, component="Ez", source="test"))
    assert (meta.dt, meta.dx, meta.x0, meta.t0) == (4.7e-12, 0.01, 0.1, -0.94e-9)
    assert (meta.antenna_offset, meta.antenna_height, meta.center_frequency) == (0.04, 0.03, 1.5e9)
    assert (meta.component, meta.source) == ("Ez", "test")
    meta.validate()


def test_image_result_makes_a_depth_image():
    b = make()
    img = _wrap.image_result(b, np.zeros((7, 8), dtype=np.float32), False, "migrate", {"velocity": 1.5e8},
                             dz=2e-3, dx=b.dx, x0=b.x0, velocity=1.5e8)
    assert isinstance(img, gp.DepthImage) and img.shape == (7, 8)
    assert img.history[-1]["operation"] == "migrate"


def test_velocity_model_conversion():
    assert _wrap.velocity_model(1.2e8).is_constant
    layered = _wrap.velocity_model({"layer_tops": [0.0, 0.2], "velocities": [1.5e8, 1.0e8]})
    assert list(layered.velocities) == [1.5e8, 1.0e8]
    with pytest.raises(ValueError, match="velocity"):
        _wrap.velocity_model(4e8)


# -- CuPy (GPU) ---------------------------------------------------------------

@pytest.mark.gpu
def test_cupy_data_stays_on_the_device(cupy):
    data = cupy.arange(24, dtype=cupy.float32).reshape(6, 4)
    b = gp.BScan(data, dt=1e-9)
    assert b.data is data and b.device == "cuda"
    info = _core._array_view_info(data)
    assert info == {"shape": (6, 4), "memory": "device", "pointer": data.data.ptr}
    result = _wrap.apply("double", lambda i, o, m, f, d: o.__setitem__(Ellipsis, i * f), b, {}, parameters={},
                         args=(2.0,))
    assert isinstance(result.data, cupy.ndarray)
