"""Bad input gets a clear Python exception, never a crash:

- a missing file: FileNotFoundError (an OSError);
- a file that cannot be used (not HDF5, truncated, no such group, receiver or
  component): OSError;
- bad arguments and bad arrays (wrong dtype, rank or layout, NaN/Inf samples,
  dt <= 0, a dataset of the wrong rank or type): ValueError;
- device="cuda" where there is none: gprproc.CudaError (a RuntimeError).
The messages are the C++ library's; `.code` holds the C++ error code.
"""
import shutil

import numpy as np
import pytest

import gprproc as gp
from gprproc import _core

h5py = pytest.importorskip("h5py", reason="h5py is needed to make broken files")

CYLINDER_V4 = "gprmax/cylinder_Bscan_2D_v4_merged.h5"
DRY_SAND = "landmines/pmn_dry_sand_merged.out"


def small_bscan():
    return gp.BScan(np.arange(60, dtype=np.float32).reshape(12, 5), dt=1e-11, dx=0.01)


# -- files ---------------------------------------------------------------------

@pytest.mark.io
@pytest.mark.parametrize("reader", [gp.read, gp.read_gprmax, gp.read_image, gp.list_groups])
def test_missing_file_is_file_not_found(tmp_path, reader):
    path = tmp_path / "no_such_file.h5"
    with pytest.raises(FileNotFoundError, match="no_such_file.h5") as caught:
        reader(path)
    assert caught.value.code == "file_not_found"


@pytest.mark.io
@pytest.mark.parametrize("reader", [gp.read, gp.read_gprmax, gp.read_image, gp.list_groups])
def test_file_that_is_not_hdf5_is_os_error(tmp_path, reader):
    path = tmp_path / "notes.h5"
    path.write_text("these are field notes, not HDF5\n" * 20)
    with pytest.raises(OSError) as caught:
        reader(path)
    assert not isinstance(caught.value, FileNotFoundError)
    assert "notes.h5" in str(caught.value)
    assert caught.value.code == "file_format"


@pytest.mark.io
def test_folder_is_os_error(tmp_path):
    with pytest.raises(OSError):
        gp.read(tmp_path)


@pytest.mark.io
@pytest.mark.parametrize("keep", [0.05, 0.5, 0.97])
def test_truncated_hdf5_is_os_error(tmp_path, shared_data, keep):
    source = shared_data(CYLINDER_V4)
    data = source.read_bytes()
    path = tmp_path / "truncated.h5"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(OSError):
        gp.read_gprmax(path)


@pytest.mark.io
def test_truncated_file_of_our_layout_is_os_error(tmp_path):
    path = tmp_path / "ours.h5"
    gp.write(path, gp.BScan(np.random.default_rng(0).standard_normal((4000, 50)).astype(np.float32),
                            dt=1e-11, dx=0.01), compression_level=0)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(OSError):
        gp.read(path)


@pytest.mark.io
def test_missing_group_is_os_error(tmp_path):
    path = tmp_path / "one_group.h5"
    gp.write(path, small_bscan(), group="line_001")
    with pytest.raises(OSError, match="line_999") as caught:
        gp.read(path, group="line_999")
    assert caught.value.code == "missing_entry"


@pytest.mark.io
def test_missing_component_and_receiver_are_os_error(shared_data):
    path = shared_data(CYLINDER_V4)
    with pytest.raises(OSError, match="Iz") as caught:  # a gprMax component this file does not hold
        gp.read_gprmax(path, component="Iz")
    assert caught.value.code == "missing_entry"
    with pytest.raises(OSError, match="rx2"):
        gp.read_gprmax(path, receiver=2)


@pytest.mark.io
def test_bad_reader_arguments_are_value_error(shared_data):
    path = shared_data(CYLINDER_V4)
    with pytest.raises(ValueError, match="receiver"):
        gp.read_gprmax(path, receiver=0)
    with pytest.raises(ValueError, match="dx"):
        gp.read_gprmax(path, dx=-0.01)


@pytest.mark.io
def test_merged_file_without_steps_needs_dx(shared_data):
    with pytest.raises(ValueError, match="dx"):
        gp.read_gprmax(shared_data(DRY_SAND))


@pytest.mark.io
def test_missing_numbered_series_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        gp.read_gprmax(tmp_path / "scene")


def replace_dataset(path, name, value):
    with h5py.File(path, "r+") as f:
        del f[name]
        f[name] = value


@pytest.mark.io
@pytest.mark.parametrize("bad", [np.zeros((3, 4, 5), dtype=np.float32), np.zeros(7, dtype=np.float32),
                                 np.zeros((4, 5), dtype=np.int32), np.array([b"text", b"more"])])
def test_dataset_of_wrong_rank_or_type_is_value_error(tmp_path, bad):
    path = tmp_path / "bad_dataset.h5"
    gp.write(path, small_bscan())
    replace_dataset(path, "bscan/data", bad)
    with pytest.raises(ValueError, match="data") as caught:
        gp.read(path)
    assert caught.value.code == "invalid_shape"


@pytest.mark.io
def test_gprmax_dataset_of_wrong_rank_is_value_error(tmp_path, shared_data):
    path = tmp_path / "cylinder.h5"
    shutil.copy(shared_data(CYLINDER_V4), path)
    path.chmod(0o644)
    replace_dataset(path, "rxs/rx1/Ez", np.zeros((2, 3, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="Ez"):
        gp.read_gprmax(path)


@pytest.mark.io
def test_nan_in_a_gprmax_file_is_value_error_unless_allowed(tmp_path, shared_data):
    path = tmp_path / "cylinder_nan.h5"
    shutil.copy(shared_data(CYLINDER_V4), path)
    path.chmod(0o644)
    with h5py.File(path, "r+") as f:
        f["rxs/rx1/Ez"][100, 7] = np.nan
    with pytest.raises(ValueError, match="non-finite") as caught:
        gp.read_gprmax(path)
    assert caught.value.code == "non_finite"
    b = gp.read_gprmax(path, allow_non_finite=True)
    assert np.isnan(b.data[100, 7]) and np.isfinite(np.delete(b.data.ravel(), 100 * 64 + 7)).all()


@pytest.mark.io
def test_nan_in_our_file_is_value_error(tmp_path):
    path = tmp_path / "nan.h5"
    gp.write(path, small_bscan())
    with h5py.File(path, "r+") as f:
        f["bscan/data"][3, 2] = np.inf
    with pytest.raises(ValueError, match="non-finite"):
        gp.read(path)


@pytest.mark.io
def test_non_positive_dt_in_our_file_is_os_error(tmp_path):
    # A stored dt <= 0 is a damaged file, not a bad argument.
    path = tmp_path / "bad_dt.h5"
    gp.write(path, small_bscan())
    with h5py.File(path, "r+") as f:
        f["bscan"].attrs["dt"] = -1.0
    with pytest.raises(OSError, match="dt"):
        gp.read(path)


@pytest.mark.io
def test_write_into_a_missing_folder_is_os_error(tmp_path):
    with pytest.raises(OSError):
        gp.write(tmp_path / "no" / "such" / "folder" / "out.h5", small_bscan())
    assert not (tmp_path / "no").exists()


# -- arrays and metadata ---------------------------------------------------------

@pytest.mark.parametrize("array,needed", [
    (np.zeros((4, 3), dtype=np.float64), "float32"),
    (np.zeros((4, 3), dtype=">f4"), "float32"),
    (np.zeros(12, dtype=np.float32), "2-D"),
    (np.zeros((2, 3, 2), dtype=np.float32), "2-D"),
    (np.zeros((6, 8), dtype=np.float32)[:, ::2], "C-contiguous"),
    (np.asfortranarray(np.zeros((4, 3), dtype=np.float32)), "C-contiguous"),
    ([[1.0, 2.0]], "numpy.ndarray"),
])
def test_wrong_arrays_at_the_binding_are_value_error_naming_the_argument(array, needed):
    with pytest.raises(ValueError, match=needed) as caught:
        _core._array_view_info(array, "samples")
    assert "'samples'" in str(caught.value)
    assert caught.value.code == "invalid_shape"


def test_read_only_output_is_value_error():
    array = np.zeros((4, 3), dtype=np.float32)
    array.flags.writeable = False
    _core._array_view_info(array)  # fine as an input
    with pytest.raises(ValueError, match="writable"):
        _core._array_view_info(array, "output", writable=True)


def test_dtype_message_says_what_was_given():
    with pytest.raises(ValueError, match="got dtype float64"):
        _core._array_view_info(np.zeros((2, 2)), "input")
    with pytest.raises(ValueError, match=r"shape \(12,\)"):
        _core._array_view_info(np.zeros(12, dtype=np.float32), "input")


def test_nan_samples_are_value_error():
    data = np.ones((8, 4), dtype=np.float32)
    data[5, 1] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        gp.BScan(data, dt=1e-11)
    with pytest.raises(ValueError, match="non-finite") as caught:
        _core.check_finite(data, "input")
    assert caught.value.code == "non_finite"


@pytest.mark.parametrize("dt", [0.0, -4.7e-12, np.nan])
def test_non_positive_dt_is_value_error(dt):
    with pytest.raises(ValueError, match="dt"):
        gp.BScan(np.zeros((3, 3), dtype=np.float32), dt=dt)
    with pytest.raises(ValueError, match="dt") as caught:
        _core.BScanMetadata(dt=dt, dx=0.01).validate()
    assert caught.value.code == "invalid_argument"


def test_zero_traces_is_value_error():
    with pytest.raises(ValueError, match="empty"):
        gp.BScan(np.zeros((100, 0), dtype=np.float32), dt=1e-11)


# -- device ---------------------------------------------------------------------

def test_cuda_error_is_a_runtime_error_in_gprproc():
    assert issubclass(gp.CudaError, RuntimeError)
    assert gp.CudaError.__module__ == "gprproc" and gp.CudaError.__name__ == "CudaError"


def test_unknown_device_is_value_error():
    with pytest.raises(ValueError, match="device"):
        gp.resolve_device("tpu")


def test_auto_device_resolves_to_what_is_there():
    assert gp.resolve_device("auto") == ("cuda" if gp.cuda_available() else "cpu")
    assert gp.resolve_device("cpu") == "cpu"


@pytest.mark.skipif(gp.cuda_available(), reason="a CUDA device is present")
def test_cuda_without_a_device_is_cuda_error():
    with pytest.raises(gp.CudaError, match="cuda") as caught:
        gp.resolve_device("cuda")
    assert caught.value.code == "cuda_unavailable"
    assert isinstance(gp.device_name(), str) and gp.device_name().startswith("none")


@pytest.mark.gpu
def test_cuda_with_a_device_resolves():
    assert gp.resolve_device("cuda") == "cuda"
    assert not gp.device_name().startswith("none")


def test_cuda_array_on_a_cpu_only_build_is_cuda_error(cupy):
    if gp.cuda_compiled():
        pytest.skip("this build has the CUDA backend")
    with pytest.raises(gp.CudaError, match="no CUDA backend"):
        _core._array_view_info(cupy.zeros((3, 3), dtype=cupy.float32))


# -- a compute-only build ----------------------------------------------------------

def test_file_functions_of_a_build_without_io_name_the_missing_component(monkeypatch, tmp_path):
    # A build with GPRPROC_BUILD_IO=OFF sets _core.has_io = False and leaves the
    # readers out; every file function must then say why instead of failing
    # with an AttributeError deep inside.
    monkeypatch.setattr(_core, "has_io", False)
    assert not gp.io_available()
    for call in (lambda: gp.read(tmp_path / "a.h5"), lambda: gp.read_gprmax(tmp_path / "a.out"),
                 lambda: gp.write(tmp_path / "a.h5", small_bscan()), lambda: gp.read_vendor(tmp_path / "a.dzt")):
        with pytest.raises(RuntimeError, match="GPRPROC_BUILD_IO=OFF"):
            call()
    assert not (tmp_path / "a.h5").exists()


# -- NaN in a CuPy array -------------------------------------------------------------

_CUPY_NAN_CALLS = {
    "remove_dc": lambda x: gp.remove_dc(x, device="cuda", dt=1e-11),
    "dewow": lambda x: gp.dewow(x, 2e-10, device="cuda", dt=1e-11),
    "bandpass": lambda x: gp.bandpass(x, 1e9, 5e9, device="cuda", dt=1e-11),
    "envelope": lambda x: gp.envelope(x, device="cuda", dt=1e-11),
    "time_gain": lambda x: gp.time_gain(x, power=1.0, device="cuda", dt=1e-11),
    "agc": lambda x: gp.agc(x, 2e-10, device="cuda", dt=1e-11),
    "mean": lambda x: gp.remove_background(x, "mean", device="cuda", dt=1e-11),
    "moving_mean": lambda x: gp.remove_background(x, "moving_mean", window_traces=5, device="cuda", dt=1e-11),
    "moving_median": lambda x: gp.remove_background(x, "moving_median", window_traces=5, device="cuda", dt=1e-11),
}


@pytest.mark.gpu
@pytest.mark.parametrize("operation", sorted(_CUPY_NAN_CALLS))
def test_nan_in_a_cupy_array_is_value_error_from_the_kernel(cupy, operation):
    # A CuPy array is not scanned in Python before these operations: their
    # CUDA kernels raise a flag on NaN/Inf, which must still become ValueError.
    x = cupy.ones((64, 32), dtype=cupy.float32)
    x[10, 3] = cupy.nan
    with pytest.raises(ValueError, match="non-finite"):
        _CUPY_NAN_CALLS[operation](x)
