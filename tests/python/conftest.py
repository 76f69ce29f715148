"""Shared pytest set-up for the gprproc Python package.

- ``gpu`` marker: the test needs a CUDA build of gprproc and a usable GPU; it is
  skipped, with the reason shown (pytest -rs), everywhere else.
- ``io`` marker: the test reads or writes files, so it needs the HDF5 I/O
  component; it is skipped, with the reason shown, in a compute-only build
  (GPRPROC_BUILD_IO=OFF, as scripts/gpu-check.sh builds on a GPU box).
- ``shared_data(relative)``: a path under the shared test-data folder
  (GPRPROC_SHARED_DATA, default ../shared/data beside the repository), or a
  visible skip when the file is absent.
"""
import os
import pathlib

import pytest

import gprproc

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
SHARED_DATA = pathlib.Path(os.environ.get("GPRPROC_SHARED_DATA", REPOSITORY.parent / "shared" / "data"))


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a CUDA device and a CUDA build of gprproc (skipped otherwise)")
    config.addinivalue_line("markers", "io: reads or writes files: needs the HDF5 I/O component (skipped otherwise)")


def _gpu_skip_reason():
    if not gprproc.cuda_compiled():
        return "gprproc was built without the CUDA backend"
    if not gprproc.cuda_available():
        return f"no usable CUDA device ({gprproc.device_name()})"
    return None


def pytest_collection_modifyitems(config, items):
    gpu_reason = _gpu_skip_reason()
    skip_gpu = pytest.mark.skip(reason=f"gpu test: {gpu_reason}")
    skip_io = pytest.mark.skip(reason="io test: this gprproc build has no HDF5 I/O component")
    for item in items:
        if gpu_reason is not None and "gpu" in item.keywords:
            item.add_marker(skip_gpu)
        if not gprproc.io_available() and "io" in item.keywords:
            item.add_marker(skip_io)


@pytest.fixture
def shared_data():
    def locate(relative):
        path = SHARED_DATA / relative
        if not path.exists():
            pytest.skip(f"shared test data not found: {path} (set GPRPROC_SHARED_DATA)")
        return path

    return locate


@pytest.fixture
def cupy():
    """CuPy, or a skip when it is not installed."""
    return pytest.importorskip("cupy", reason="CuPy is not installed")
