"""Shared pytest set-up for the gprproc Python package.

- ``gpu`` marker: the test needs a CUDA build of gprproc and a usable GPU; it is
  skipped, with the reason shown (pytest -rs), everywhere else.
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


def _gpu_skip_reason():
    if not gprproc.cuda_compiled():
        return "gprproc was built without the CUDA backend"
    if not gprproc.cuda_available():
        return f"no usable CUDA device ({gprproc.device_name()})"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _gpu_skip_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"gpu test: {reason}")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


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
