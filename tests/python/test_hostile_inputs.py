"""Hostile inputs from Python: every reader ends in ValueError or OSError
(never a crash, a UnicodeDecodeError or an unbounded allocation) and leaves
the file unchanged; field-file provenance (header, marks, positions) survives
reading, writing and reading back. The C++ set is tests/io/test_hostile_inputs.cpp."""
import json
import struct

import numpy as np
import pytest

import gprproc as gp

pytestmark = pytest.mark.io
h5py = pytest.importorskip("h5py", reason="h5py is needed to craft HDF5 files")


def _refused(path, error, match, read):
    before = path.read_bytes()
    with pytest.raises(error, match=match):
        read()
    assert path.read_bytes() == before


def _bscan_group(f):
    g = f.create_group("bscan")
    g.attrs["dt"] = 1e-10
    g.attrs["dx"] = 0.01
    return g


def _dzt(n_samples=64, n_traces=20, range_ns=20.0, spm=50.0, name=b"LINE"):
    """A one-channel 16-bit DZT written byte by byte (words 0, 1 of each scan: counter, mark)."""
    header = bytearray(1024)
    struct.pack_into("<HHHH", header, 0, 0x00FF, 1024, n_samples, 16)
    struct.pack_into("<ff", header, 10, 64.0, spm)
    struct.pack_into("<f", header, 26, range_ns)
    struct.pack_into("<H", header, 52, 1)
    header[98:104] = b"400MHz"
    header[114:114 + len(name)] = name
    scans = np.zeros((n_traces, n_samples), dtype="<u2")
    scans[:, 0] = np.arange(n_traces)
    scans[3, 1] = 0x6400
    scans[:, 2:] = 32768 + 10 * np.arange(2, n_samples)
    return bytes(header) + scans.tobytes()


def test_latin1_dzt_header_decodes(tmp_path):
    path = tmp_path / "latin1.DZT"
    path.write_bytes(_dzt(name=b"M\xc4LARDALEN"))
    b, info = gp.read_dzt(path, info=True)   # raised UnicodeDecodeError before
    assert info["header"]["rh_name"] == "M\u00c4LARDALEN"
    assert "M\u00c4LARDALEN" in json.dumps(b.history[0]["parameters"], ensure_ascii=False)


def test_dzt_header_samples_removed_and_marks_kept(tmp_path):
    path = tmp_path / "line.DZT"
    path.write_bytes(_dzt(n_samples=64, range_ns=32.0))
    b = gp.read_dzt(path)
    assert b.data.shape == (62, 20)
    assert b.t0 == pytest.approx(2 * 32e-9 / 64)
    assert b.data[0, 0] == 20.0               # word 2: 32768 + 20 - 32768
    assert list(b.marks) == [3]


def test_forged_dzt_headers(tmp_path):
    path = tmp_path / "forged.DZT"
    good = bytearray(_dzt())
    for offset, value, field in [(26, 1e38, "rhf_range"), (14, -5.0, "rhf_spm"), (10, -1.0, "rhf_sps")]:
        forged = bytearray(good)
        struct.pack_into("<f", forged, offset, value)
        path.write_bytes(bytes(forged))
        _refused(path, OSError, field, lambda: gp.read_dzt(path))
    forged = bytearray(good)
    struct.pack_into("<H", forged, 52, 16)    # 16 channels, one header in the file
    path.write_bytes(bytes(forged))
    _refused(path, OSError, "channel headers", lambda: gp.read(path))


def test_time_triggered_dzt_asks_for_dx(tmp_path):
    path = tmp_path / "timed.DZT"
    path.write_bytes(_dzt(spm=0.0))
    _refused(path, ValueError, "dx", lambda: gp.read_dzt(path))
    assert gp.read_dzt(path, dx=0.05).dx == pytest.approx(0.05)


def test_deep_history_is_refused(tmp_path):
    path = tmp_path / "deep.h5"
    with h5py.File(path, "w") as f:
        g = _bscan_group(f)
        g["data"] = np.ones((4, 3), "f4")
        g.attrs["history"] = '[{"operation": "x", "parameters": {"a": ' + "[" * 100000 + "]" * 100000 + "}}]"
    _refused(path, OSError, "history.*levels deep", lambda: gp.read(path))


def test_sparse_dataset_is_refused(tmp_path):
    path = tmp_path / "sparse.h5"
    with h5py.File(path, "w") as f:
        g = _bscan_group(f)
        g.create_dataset("data", shape=(16384, 32768), dtype="f4", chunks=(1024, 64))
    assert path.stat().st_size < 100000
    _refused(path, OSError, "never written", lambda: gp.read(path))


@pytest.mark.parametrize("dtype, match", [(np.complex64, "compound"), ("S4", "string"), (np.int32, "int32")])
def test_wrong_data_types_are_refused(tmp_path, dtype, match):
    path = tmp_path / "typed.h5"
    with h5py.File(path, "w") as f:
        _bscan_group(f)["data"] = np.ones((4, 3), dtype=dtype)
    _refused(path, ValueError, match, lambda: gp.read(path))


@pytest.mark.parametrize("dtype", [">f4", ">f8"])
def test_big_endian_floats_read_by_value(tmp_path, dtype):
    path = tmp_path / "be.h5"
    values = np.linspace(-2.0, 3.0, 12).reshape(4, 3)
    with h5py.File(path, "w") as f:
        _bscan_group(f)["data"] = values.astype(dtype)
    b = gp.read(path)
    np.testing.assert_array_equal(b.data, values.astype(np.float32))


def test_truncated_file_is_refused(tmp_path):
    whole = tmp_path / "whole.h5"
    gp.write(whole, gp.BScan(np.ones((64, 40), np.float32), dt=1e-10, dx=0.01))
    data = whole.read_bytes()
    for cut in (0, 8, len(data) // 2, len(data) - 1):
        path = tmp_path / f"cut{cut}.h5"
        path.write_bytes(data[:cut])
        _refused(path, OSError, r".+", lambda: gp.read(path))


def test_forged_dt1_header(tmp_path):
    dt1, hd = tmp_path / "L.DT1", tmp_path / "L.HD"
    trace = bytearray(128 + 100)                         # 50 int16 points
    struct.pack_into("<fff", trace, 0, 1.0, 0.0, 50.0)   # trace number, position, points
    struct.pack_into("<f", trace, 20, 2.0)               # bytes per point
    dt1.write_bytes(bytes(trace) * 2)
    hd.write_text("1234\nNUMBER OF TRACES = 4000000000\nNUMBER OF PTS/TRC = 50\nTOTAL TIME WINDOW = 100\n")
    _refused(dt1, OSError, "NUMBER OF TRACES.*4000000000", lambda: gp.read_dt1(dt1))
    hd.write_text("1234\nNUMBER OF TRACES = 400000\nNUMBER OF PTS/TRC = 50\nTOTAL TIME WINDOW = 100\n")
    _refused(dt1, OSError, "truncated", lambda: gp.read_dt1(dt1))
    hd.write_text("1234\nNUMBER OF TRACES = 2\nNUMBER OF PTS/TRC = 50\nTOTAL TIME WINDOW = 1e38\n")
    _refused(dt1, OSError, "TOTAL TIME WINDOW", lambda: gp.read_dt1(dt1))


def test_field_provenance_survives_write_and_read(tmp_path, shared_data):
    original = gp.read_dzt(shared_data("field/gssi_sir3000_400MHz.DZT"))
    out = tmp_path / "line.h5"
    gp.write(out, original)
    back = gp.read(out)
    np.testing.assert_array_equal(back.marks, original.marks)
    assert list(back.marks[:3]) == [0, 100, 200]
    step = back.history[0]
    assert step["operation"] == "read_dzt"
    assert step["parameters"]["rhf_epsr"] == "6"           # the operator's permittivity
    assert step["parameters"]["created"] == "2017-03-21T00:36:46"
    assert step["parameters"]["header_samples_removed"] == 2
    with h5py.File(out, "r") as f:                          # plain h5py sees the marks too
        assert list(f["bscan/marks"][:3]) == [0, 100, 200]


def test_dt1_positions_survive_write_and_read(tmp_path, shared_data):
    original = gp.read_dt1(shared_data("field/LINE00.DT1"))
    out = tmp_path / "dt1.h5"
    gp.write(out, original)
    back = gp.read(out)
    np.testing.assert_array_equal(back.positions, original.positions)
    assert back.positions[1, 0] - back.positions[0, 0] == pytest.approx(0.25)   # STEP SIZE USED
    assert back.history[0]["operation"] == "read_dt1"


def test_global_heap_loop_is_refused(tmp_path):
    """A fuzzer-found file on whose global heap libhdf5 1.10 loops forever."""
    from pathlib import Path
    original = Path(__file__).resolve().parents[1] / "io" / "hostile" / "global_heap_loop.h5"
    path = tmp_path / "loop.h5"
    path.write_bytes(original.read_bytes())
    _refused(path, OSError, "global heap", lambda: gp.read(path))
    _refused(path, OSError, "global heap", lambda: gp.list_groups(path))
