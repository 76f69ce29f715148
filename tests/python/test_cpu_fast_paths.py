"""The CPU fast paths (docs/BENCHMARKS.md, History): bare numpy arrays are no
longer scanned for NaN/Inf in Python, because the C++ kernels reject them in
their own pass; DC removal, gains and mean-trace background check while they
compute; band-pass and Hilbert transform several traces per FFT call (SIMD
lanes). Checked here: every such operation still rejects NaN and Inf with a
ValueError naming the sample, leaves an in-place input untouched when it
rejects it, survives float overflow of its partial sums, and gives the right
answer on shapes that are not multiples of the tile, lane or block widths."""
import numpy as np
import pytest

import gprproc as gp
from gprproc import _core, _wrap

DT = 1e-10

OPERATIONS = {
    "remove_dc": lambda a: gp.remove_dc(a, dt=DT, device="cpu"),
    "remove_dc_window": lambda a: gp.remove_dc(a, window=(2e-9, 3e-9), dt=DT, device="cpu"),
    "dewow": lambda a: gp.dewow(a, 2e-9, dt=DT, device="cpu"),
    "bandpass": lambda a: gp.bandpass(a, 2e8, 1e9, low_taper=5e7, high_taper=2e8, dt=DT, device="cpu"),
    "envelope": lambda a: gp.envelope(a, dt=DT, device="cpu"),
    "instantaneous_phase": lambda a: gp.instantaneous_phase(a, dt=DT, device="cpu"),
    "time_gain": lambda a: gp.time_gain(a, power=1.0, reference_time=1e-9, dt=DT, device="cpu"),
    "agc": lambda a: gp.agc(a, 2e-9, dt=DT, device="cpu"),
    "apply_gain": lambda a: gp.apply_gain(a, np.full(a.shape[0], 2.0, np.float32), dt=DT, device="cpu"),
    "remove_gain": lambda a: gp.remove_gain(a, np.full(a.shape[0], 2.0, np.float32), dt=DT, device="cpu"),
    "background_mean": lambda a: gp.remove_background(a, "mean", dt=DT, device="cpu"),
    "background_moving_mean": lambda a: gp.remove_background(a, "moving_mean", window_traces=5, dt=DT,
                                                              device="cpu"),
    "background_svd": lambda a: gp.remove_background(a, "svd", rank=1, dt=DT, device="cpu"),
    "shift_time_zero": lambda a: gp.shift_time_zero(a, 1e-9, dt=DT, device="cpu"),
    "correct_time_zero": lambda a: gp.correct_time_zero(a, dt=DT, device="cpu"),
}


def _data(n_samples=200, n_traces=37, seed=3):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n_samples, n_traces)) + 1.0).astype(np.float32)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [(0, 0), (150, 36), (5, 17)])  # (5, 17) lies outside remove_dc's window
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_non_finite_bare_input_is_a_value_error_naming_the_sample(operation, where, bad):
    data = _data()
    data[where] = bad
    with pytest.raises(ValueError, match="non-finite") as caught:
        OPERATIONS[operation](data)
    assert f"sample {where[0]}, trace {where[1]}" in str(caught.value)
    assert caught.value.code == "non_finite"


@pytest.mark.parametrize("kernel", ["remove_dc", "time_gain", "background_mean"])
def test_rejected_in_place_input_is_left_unchanged(kernel):
    data = _data()
    data[120, 30] = np.nan
    before = data.copy()
    meta = _wrap.core_metadata(gp.BScan(data, dt=DT, allow_non_finite=True), kernel)
    with pytest.raises(ValueError, match="non-finite"):
        if kernel == "remove_dc":
            _core.remove_dc(data, data, meta, -np.inf, np.inf, "cpu")
        elif kernel == "time_gain":
            _core.time_gain(data, data, meta, 1.0, 0.0, 1e-9, "time_zero", "cpu")
        else:
            _core.remove_background(data, data, meta, "mean", 21, 1, 1, False, 5, 0.0, 1e-7, 1000, "cpu")
    np.testing.assert_array_equal(data, before)  # NaN == NaN here: array_equal treats NaNs as equal


def test_in_place_equals_out_of_place():
    data = _data(300, 1500)
    meta = _wrap.core_metadata(gp.BScan(data, dt=DT), "remove_dc")
    out = gp.remove_dc(data, dt=DT, device="cpu")
    copy = data.copy()
    _core.remove_dc(copy, copy, meta, -np.inf, np.inf, "cpu")
    np.testing.assert_array_equal(copy, out)


def test_huge_finite_samples_are_not_mistaken_for_non_finite():
    # Float partial sums of 3e38 overflow; the kernels must redo them in double
    # rather than report a NaN/Inf sample.
    data = np.full((64, 40), 3e38, dtype=np.float32)
    data[::2] = -3e38
    np.testing.assert_array_equal(gp.remove_dc(np.full((64, 40), 3e38, np.float32), dt=DT, device="cpu"), 0.0)
    assert np.isfinite(gp.remove_dc(data, dt=DT, device="cpu")).all()
    np.testing.assert_array_equal(gp.remove_background(np.full((8, 300), 3e38, np.float32), "mean", dt=DT,
                                                       device="cpu"), 0.0)


@pytest.mark.parametrize("n_traces", [1, 3, 5, 17, 1031, 2500])
def test_remove_dc_and_mean_background_on_odd_widths(n_traces):
    data = _data(130, n_traces, seed=n_traces)
    dc = gp.remove_dc(data, dt=DT, device="cpu")
    np.testing.assert_allclose(dc, data - data.astype(np.float64).mean(axis=0), atol=2e-6)
    background = gp.remove_background(data, "mean", dt=DT, device="cpu")
    np.testing.assert_allclose(background, data - data.astype(np.float64).mean(axis=1, keepdims=True), atol=2e-6)
    window = gp.remove_dc(data, window=(1e-9, 5e-9), dt=DT, device="cpu")  # samples 10..50
    np.testing.assert_allclose(window, data - data[10:51].astype(np.float64).mean(axis=0), atol=2e-6)


@pytest.mark.parametrize("n_traces", [1, 3, 4, 6, 15, 16, 17, 33])
def test_bandpass_and_envelope_on_widths_that_are_not_whole_blocks(n_traces):
    # Each trace a sine of its own frequency and amplitude: in band it passes,
    # and its envelope is its amplitude (away from the ends).
    n = 1000
    t = DT * np.arange(n)
    f = np.linspace(3e8, 8e8, n_traces)
    amplitude = np.linspace(1.0, 2.0, n_traces)
    data = (amplitude * np.sin(2 * np.pi * f * t[:, None])).astype(np.float32)
    passed = gp.bandpass(data, 1e8, 1.5e9, low_taper=5e7, high_taper=2e8, dt=DT, device="cpu")
    np.testing.assert_allclose(passed[200:800], data[200:800], atol=0.02 * amplitude.max())
    blocked = gp.bandpass(data, 1e9, 2e9, low_taper=5e7, high_taper=1e8, dt=DT, device="cpu")
    assert np.abs(blocked[200:800]).max() < 0.02 * amplitude.max()
    envelope = gp.envelope(data, dt=DT, device="cpu")
    np.testing.assert_allclose(envelope[200:800], np.broadcast_to(amplitude, (600, n_traces)), rtol=0.02)
