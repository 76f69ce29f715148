"""gprproc preprocessing filters and gains from Python, against truths: planted
wow and DC removed, sines in and out of the band, analytic envelopes, traces
shifted by known fractional amounts, t^p on a constant trace, gain round trips;
bad parameters are ValueErrors naming them."""
import math

import numpy as np
import pytest

import gprproc as gp

DT = 1e-10


def _ricker(t, f=500e6):
    a = (np.pi * f * t) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def _amplitudes(trace, t, freqs):
    columns = []
    for f in freqs:
        columns += [np.sin(2 * np.pi * f * t), np.cos(2 * np.pi * f * t)]
    coef, *_ = np.linalg.lstsq(np.stack(columns, axis=1), trace, rcond=None)
    return np.hypot(coef[0::2], coef[1::2])


def test_remove_dc_and_dewow():
    rng = np.random.default_rng(0)
    data = (rng.standard_normal((400, 12)) + 5.0).astype(np.float32)
    b = gp.BScan(data, dt=DT, dx=0.01)
    out = gp.remove_dc(b, window=(1e-9, 10e-9))
    assert out.history[-1]["operation"] == "remove_dc"
    assert np.abs(out.data[10:101].mean(axis=0)).max() < 1e-5
    t = np.arange(1000) * DT
    wow = 0.5 + 2.0 * t / 100e-9 + 3.0 * np.exp(-t / 30e-9)
    pulse = _ricker(t - 40e-9)
    traces = np.repeat((wow + pulse)[:, None], 4, axis=1).astype(np.float32)
    dewowed = gp.dewow(traces, 5e-9, dt=DT)  # bare array in, bare array out
    assert isinstance(dewowed, np.ndarray)
    residual = dewowed - pulse[:, None]
    assert np.sum(residual ** 2) < 1e-3 * np.sum(np.repeat(wow[:, None], 4, axis=1) ** 2)
    assert dewowed[400, 0] == pytest.approx(1.0, rel=0.02)


def test_bandpass_sines():
    n = 4096
    t = np.arange(n) * DT
    freqs = [150e6, 1e9, 3.5e9]
    trace = np.sin(2 * np.pi * freqs[0] * t) + 0.7 * np.sin(2 * np.pi * freqs[1] * t) + 1.3 * np.cos(2 * np.pi * freqs[2] * t)
    b = gp.BScan(np.repeat(trace[:, None], 2, axis=1).astype(np.float32), dt=DT, dx=0.01)
    out = gp.bandpass(b, 500e6, 2e9, low_taper=200e6, high_taper=500e6, device="cpu")
    a = _amplitudes(out.data[n // 4:3 * n // 4, 1].astype(np.float64), t[n // 4:3 * n // 4], freqs)
    assert abs(20 * math.log10(a[1] / 0.7)) < 0.1
    assert 20 * math.log10(a[0]) < -60 and 20 * math.log10(a[2] / 1.3) < -60
    bw = gp.bandpass(b, 500e6, 2e9, shape="butterworth", order=4, device="cpu")
    a = _amplitudes(bw.data[n // 4:3 * n // 4, 0].astype(np.float64), t[n // 4:3 * n // 4], freqs)
    for k, amp in enumerate([1.0, 0.7, 1.3]):
        h = gp.bandpass_response(freqs[k], 500e6, 2e9, shape="butterworth", order=4)
        assert h == pytest.approx(1 / math.sqrt(1 + (500e6 / freqs[k]) ** 8) / math.sqrt(1 + (freqs[k] / 2e9) ** 8))
        assert abs(20 * math.log10(a[k] / (amp * h))) < 0.1


def test_envelope_and_phase():
    t = np.arange(2000) * DT
    a = 2.0 * np.exp(-((t - 100e-9) / 30e-9) ** 2)
    x = (a * np.cos(2 * np.pi * 800e6 * t))[:, None].astype(np.float32)
    env = gp.envelope(x, dt=DT)
    phase = gp.instantaneous_phase(x, dt=DT)
    mid = slice(500, 1500)
    assert np.abs(env[mid, 0] - a[mid]).max() < 0.01
    wrapped = np.angle(np.exp(1j * (phase[mid, 0] - 2 * np.pi * 800e6 * t[mid])))
    assert np.abs(wrapped).max() < 0.005


def test_time_zero_aligns_fractional_shifts():
    deltas = np.array([0.0, 0.13, 0.5, 0.77, 2.31, -1.4])
    t = -2e-9 + np.arange(512) * DT
    data = np.stack([_ricker(t - 20e-9 - d * DT) for d in deltas], axis=1).astype(np.float32)
    b = gp.BScan(data, dt=DT, dx=0.01, t0=-2e-9)
    picks = gp.pick_first_breaks(b, threshold=0.2)
    assert np.abs((picks - deltas * DT) - (picks[0])).max() < 0.05 * DT
    out = gp.correct_time_zero(b, method="direct_wave_peak", threshold=0.2, first_break_time=5e-9)
    assert out.history[-1]["parameters"]["method"] == "direct_wave_peak"
    # The leading side lobe (first peak above 20 %) lands at 5 ns: the centre
    # is sqrt(1.5) / (pi f) later. Centre of each trace by correlation with the analytic Ricker.
    expected = 5e-9 + math.sqrt(1.5) / (math.pi * 500e6)
    grid = expected + np.linspace(-0.5, 0.5, 2001) * DT
    for j in range(len(deltas)):
        corr = [np.dot(out.data[:, j], _ricker(t - c)) for c in grid]
        assert abs(grid[int(np.argmax(corr))] - expected) < 0.05 * DT
    shifted = gp.shift_time_zero(b, 12.3e-9)
    assert shifted.n_samples == b.n_samples and shifted.t0 == b.t0


def test_gains_exact_and_undone():
    b = gp.BScan(np.ones((200, 3), np.float32), dt=DT, dx=0.01)
    out, curve = gp.power_gain(b, 1.7, return_gain=True)
    t = np.arange(200) * DT
    np.testing.assert_array_equal(out.data[1:, 2], (t[1:] ** 1.7).astype(np.float32))
    assert curve.shape == (200,)
    rng = np.random.default_rng(3)
    noisy = gp.BScan(rng.standard_normal((300, 9)).astype(np.float32), dt=DT, dx=0.01)
    gained, g = gp.time_gain(noisy, power=1.2, exponent=1e9, reference_time=1e-9, return_gain=True)
    np.testing.assert_allclose(gp.remove_gain(gained, g).data, noisy.data, rtol=1e-6, atol=1e-12)
    agc_out, agc_g = gp.agc(noisy, 5e-9, return_gain=True)
    assert agc_g.shape == noisy.shape
    np.testing.assert_allclose(gp.remove_gain(agc_out, agc_g).data, noisy.data, rtol=1e-5, atol=1e-12)
    np.testing.assert_allclose(gp.apply_gain(noisy, agc_g).data, agc_out.data, rtol=1e-6, atol=1e-12)


def test_bad_parameters_are_value_errors():
    b = gp.BScan(np.ones((100, 3), np.float32), dt=DT, dx=0.01)
    with pytest.raises(ValueError, match="'window'"):
        gp.dewow(b, 0.5 * DT)
    with pytest.raises(ValueError, match="'window'"):
        gp.agc(b, 1.0)
    with pytest.raises(ValueError, match="corners reversed"):
        gp.bandpass(b, 2e9, 1e9)
    with pytest.raises(ValueError, match="Nyquist"):
        gp.bandpass(b, 1e8, 6e9)
    with pytest.raises(ValueError, match="'power'"):
        gp.power_gain(b, float("nan"))
    with pytest.raises(ValueError, match="'threshold'"):
        gp.correct_time_zero(b, threshold=0.0)
    with pytest.raises(ValueError, match="method"):
        gp.correct_time_zero(b, method="guess")
    with pytest.raises(ValueError, match="dt"):
        gp.dewow(np.ones((10, 2), np.float32), 1e-9)
    with pytest.raises(ValueError, match="gain must have"):
        gp.remove_gain(b, np.ones(99, np.float32))


@pytest.mark.gpu
def test_cupy_in_cupy_out_matches_cpu():
    cupy = pytest.importorskip("cupy")
    rng = np.random.default_rng(4)
    data = rng.standard_normal((500, 70)).astype(np.float32)
    for op, kwargs in [(gp.dewow, {"window": 2e-9}), (gp.remove_dc, {}), (gp.envelope, {}),
                       (gp.agc, {"window": 3e-9}), (gp.power_gain, {"power": 1.0}),
                       (gp.correct_time_zero, {"threshold": 0.3}),
                       (gp.bandpass, {"low": 2e8, "high": 1.5e9, "low_taper": 1e8, "high_taper": 3e8})]:
        cpu = op(data, dt=DT, device="cpu", **kwargs)
        gpu = op(cupy.asarray(data), dt=DT, device="cuda", **kwargs)
        assert isinstance(gpu, cupy.ndarray)
        np.testing.assert_allclose(cupy.asnumpy(gpu), cpu, atol=1e-4 * float(np.abs(cpu).max()))
