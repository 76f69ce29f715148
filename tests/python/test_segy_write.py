"""gp.write_segy against segyio (an independent reader) and against the
library's own reader: samples bit for bit, the GPR picosecond interval, trace
numbers, coordinates and elevations to the millimetre; never overwrites unless
asked; a real field line round trips."""
import numpy as np
import pytest

import gprproc as gp

segyio = pytest.importorskip("segyio", reason="segyio is not installed (scripts/setup.sh installs it)")

pytestmark = pytest.mark.io


def _line(nt=37, ns=250, dt=100e-12):
    rng = np.random.default_rng(4)
    data = (rng.standard_normal((ns, nt)) * 1e3).astype(np.float32)
    positions = np.stack([431200.1234 + 0.02 * np.arange(nt), 5412345.5 + 0.001 * np.arange(nt),
                          101.25 - 0.003 * np.arange(nt)], axis=1)
    b = gp.BScan(data, dt=dt, t0=-3e-9, dx=0.02, x0=0.0, positions=positions, center_frequency=400e6)
    return gp.dewow(b, window=1e-9)  # a processed line, with a history


def test_segyio_reads_samples_interval_and_geometry(tmp_path):
    b = _line()
    path = tmp_path / "line.sgy"
    gp.write_segy(path, b)
    with segyio.open(str(path)) as f:  # default (strict) open: the 1 x n_traces geometry is found
        traces = segyio.tools.collect(f.trace[:])
        assert traces.dtype == np.float32
        assert np.array_equal(traces.T.view(np.uint32), b.data.view(np.uint32))  # bit for bit
        assert f.bin[segyio.BinField.Interval] == 100  # picoseconds (GPR convention)
        assert f.bin[segyio.BinField.Format] == 5
        assert f.bin[segyio.BinField.Samples] == b.n_samples
        assert f.samples[1] - f.samples[0] == pytest.approx(0.1)  # segyio's unit: interval / 1000 = ns
        assert f.samples[0] == pytest.approx(-3.0)  # delay in ns
        h = f.header
        assert [h[j][segyio.TraceField.TRACE_SEQUENCE_LINE] for j in (0, 36)] == [1, 37]
        scalar = h[5][segyio.TraceField.SourceGroupScalar]
        assert scalar == -100  # a UTM northing (5.4e9 mm) does not fit 32 bits in millimetres: centimetres
        x = np.array([h[j][segyio.TraceField.CDP_X] for j in range(b.n_traces)]) / -scalar
        y = np.array([h[j][segyio.TraceField.CDP_Y] for j in range(b.n_traces)]) / -scalar
        z = np.array([h[j][segyio.TraceField.SourceSurfaceElevation] for j in range(b.n_traces)]) / \
            -h[0][segyio.TraceField.ElevationScalar]
        assert np.abs(x - b.positions[:, 0]).max() <= 0.005 + 1e-9
        assert np.abs(y - b.positions[:, 1]).max() <= 0.005 + 1e-9
        assert np.abs(z - b.positions[:, 2]).max() <= 0.0005 + 1e-9
        text = segyio.tools.wrap(f.text[0])
        assert "PICOSECONDS" in text and "dewow" in text


def test_millimetre_coordinates_and_the_library_reader(tmp_path):
    b = _line(dt=93.75e-12)
    b.positions = b.positions - [431000.0, 5412000.0, 0.0]  # a local origin: millimetres fit
    path = tmp_path / "local.segy"
    gp.write_segy(path, b)
    with segyio.open(str(path), ignore_geometry=True) as f:
        assert f.header[0][segyio.TraceField.SourceGroupScalar] == -1000
        assert f.bin[segyio.BinField.Interval] == 94  # rounded in the 16-bit field ...
    back = gp.read_segy(path)
    assert back.dt == 93.75e-12  # ... exact in rev 2's extended interval, which our reader uses
    assert np.array_equal(back.data.view(np.uint32), b.data.view(np.uint32))
    assert np.abs(back.positions - b.positions).max() <= 0.0005 + 1e-9


def test_never_overwrites_unless_asked(tmp_path):
    b = _line(nt=5, ns=32)
    path = tmp_path / "line.sgy"
    path.write_bytes(b"keep")
    with pytest.raises(FileExistsError):
        gp.write_segy(path, b)
    assert path.read_bytes() == b"keep"
    gp.write_segy(path, b, overwrite=True)
    assert np.array_equal(gp.read_segy(path).data, b.data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.sgy"]
    with pytest.raises(FileNotFoundError):
        gp.write_segy(tmp_path / "missing" / "x.sgy", b)
    with pytest.raises(ValueError, match="65535 ps"):
        gp.write_segy(tmp_path / "x.sgy", gp.BScan(b.data, dt=1e-6))
    with pytest.raises(TypeError):
        gp.write_segy(tmp_path / "x.sgy", b.data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.sgy"]


def test_real_field_line_round_trips(tmp_path, shared_data):
    line = gp.read_dzt(shared_data("field/gssi_sir3000_400MHz.DZT"))
    stacked = gp.stack_traces(line, 4)  # a processed line
    path = tmp_path / "sir3000.sgy"
    gp.write_segy(path, stacked)
    with segyio.open(str(path)) as f:
        assert np.array_equal(segyio.tools.collect(f.trace[:]).T, stacked.data)
        assert f.bin[segyio.BinField.Interval] == round(stacked.dt * 1e12)
    back = gp.read_segy(path)
    assert back.dt == stacked.dt and back.dx == pytest.approx(stacked.dx)
    assert np.array_equal(back.data, stacked.data)
