"""Vendor readers from Python: the same hand-worked values as the C++ tests
(tests/io/test_vendor_*.cpp), the header dict, and the exception mapping."""
import struct

import numpy as np
import pytest

import gprproc as gp

pytestmark = pytest.mark.io  # needs the HDF5 I/O component (skipped in a compute-only build)


def test_dzt_real_file(shared_data):
    b, info = gp.read_dzt(shared_data("field/gssi_sir3000_400MHz.DZT"), info=True)
    assert isinstance(b, gp.BScan)
    # 512 words per scan, of which the first 2 (scan counter, mark word) are not samples
    assert b.data.shape == (510, 1040) and b.data.dtype == np.float32
    assert b.dt == pytest.approx(48e-9 / 512)      # rhf_range 48 ns / rh_nsamp 512
    assert b.t0 == pytest.approx(2 * 48e-9 / 512)  # the first sample kept is word 2
    assert b.dx == pytest.approx(0.02, rel=1e-7)   # 1 / (50 scans per metre)
    # bytes 1024.. = 00 00 | 00 64 | ff 7f ff 7f 00 80: words 2.. minus 32768
    assert list(b.data[:3, 0]) == [-1.0, -1.0, 0.0]
    assert info["header"]["rh_ant"] == "400MHz"
    assert info["marks"][:2] == [0, 100]
    assert list(b.marks[:2]) == [0, 100] and len(b.marks) == 11
    assert b.history[0]["operation"] == "read_dzt"
    assert b.history[0]["parameters"]["rhf_epsr"] == "6"


def test_dt1_real_file(shared_data):
    b = gp.read_dt1(shared_data("field/LINE00.DT1"))
    assert b.data.shape == (1000, 223)
    assert b.dt == pytest.approx(0.4e-9) and b.dx == pytest.approx(0.25)
    assert b.antenna_offset == pytest.approx(1.0) and b.center_frequency == pytest.approx(100e6)
    assert list(b.data[:4, 0]) == [-690.0, -941.0, -967.0, -982.0]   # bytes 128.. = 4e fd 53 fc 39 fc 2a fc
    assert b.positions.shape == (223, 3)


def test_mala_real_file(shared_data):
    path = shared_data("field/ten_col.rd3")
    with pytest.raises(ValueError, match="dx"):
        gp.read_mala(path)                     # DISTANCE INTERVAL:0, time-triggered
    b = gp.read_mala(path, dx=0.1)
    assert b.data.shape == (512, 10)
    assert b.dt == pytest.approx(422.061312e-9 / 512)
    assert gp.read_mala(path, dx=0.1, time_base="sampling_frequency").dt == pytest.approx(1 / 2426.187744e6)
    assert list(b.data[:4, 0]) == [2062.0, 2052.0, 2051.0, 2048.0]   # bytes 0.. = 0e 08 04 08 03 08 00 08


def test_segy_ieee_big_endian_picoseconds(tmp_path):
    text = b"C 1 GPR LINE".ljust(3200, b" ")
    binary = bytearray(400)
    struct.pack_into(">HHh", binary, 16, 25, 0, 0)     # interval 25 (ps)
    struct.pack_into(">H", binary, 20, 3)              # samples per trace
    struct.pack_into(">h", binary, 24, 5)              # IEEE float32
    struct.pack_into(">H", binary, 300, 0x0100)        # rev 1
    traces = b""
    for j, values in enumerate(([1.0, -2.0, 0.5], [4.0, 0.0, -0.25])):
        header = bytearray(240)
        struct.pack_into(">h", header, 70, -10)
        struct.pack_into(">i", header, 72, 5 * j)      # 0.5 m apart
        struct.pack_into(">H", header, 114, 3)
        traces += bytes(header) + struct.pack(">3f", *values)
    path = tmp_path / "line.sgy"
    path.write_bytes(text + bytes(binary) + traces)
    b, info = gp.read_segy(path, info=True)
    np.testing.assert_array_equal(b.data, np.array([[1.0, 4.0], [-2.0, 0.0], [0.5, -0.25]], dtype=np.float32))
    assert b.dt == pytest.approx(25e-12) and b.dx == pytest.approx(0.5)
    assert info["header"]["byte order"] == "big-endian"
    assert gp.vendor_format_of(path) == "segy"
    assert gp.read_vendor(path).data.shape == (3, 2)
    path.write_bytes((text + bytes(binary) + traces)[:-3])
    with pytest.raises(OSError, match="truncated"):
        gp.read_segy(path)


def test_missing_companion_is_file_not_found(tmp_path):
    path = tmp_path / "line.DT1"
    path.write_bytes(b"\0" * 128)
    with pytest.raises(FileNotFoundError, match="line.HD"):
        gp.read_dt1(path)
