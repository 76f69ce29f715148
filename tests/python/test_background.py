"""gprproc.remove_background, robust_pca and the metrics from Python, against
truths: a flat reflector is removed exactly by the mean trace, an exactly
rank-1 background by rank-1 subspace removal, a planted sparse part is
recovered by robust PCA, and metrics take their defined values."""
import math

import numpy as np
import pytest

import gprproc as gp


def _ricker(tau, frequency=1e9):
    a = (np.pi * frequency * tau) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def _scene(n_samples=300, n_traces=61):
    """A flat reflector at 1 ns on every trace plus a diffraction hyperbola."""
    dt, dx, v, z = 25e-12, 0.02, 1e8, 0.2
    t = np.arange(n_samples)[:, None] * dt
    x = (np.arange(n_traces)[None, :] - n_traces // 2) * dx
    flat = np.repeat(_ricker(t - 1e-9), n_traces, axis=1)
    hyperbola = 0.5 * _ricker(t - 2.0 * np.sqrt(z * z + x * x) / v)
    return flat.astype(np.float32), hyperbola.astype(np.float32), dt, dx


@pytest.mark.parametrize("method, window", [("mean", 21), ("moving_mean", 21), ("moving_median", 21)])
def test_flat_reflector_removed_and_apex_kept(method, window):
    flat, hyperbola, dt, dx = _scene()
    b = gp.BScan(flat + hyperbola, dt=dt, dx=dx)
    out = gp.remove_background(b, method=method, window_traces=window, device="cpu")
    assert isinstance(out, gp.BScan)
    assert out.history[-1]["operation"] == "remove_background"
    assert out.history[-1]["parameters"]["method"] == method
    region = np.s_[:100, :]  # the reflector; the hyperbola starts below sample 120
    assert np.sum(out.data[region].astype(np.float64) ** 2) < 1e-5 * np.sum(flat[region].astype(np.float64) ** 2)
    apex = out.data[160, 30]
    assert 0.75 * 0.5 < apex < 1.1 * 0.5


def test_rank_one_background_removed_exactly_and_bare_arrays():
    rng = np.random.default_rng(1)
    u = rng.standard_normal(200)
    v = rng.standard_normal(50)
    background = np.outer(u, v).astype(np.float32)
    out = gp.remove_background(background, method="svd", rank=1, device="cpu", dt=1e-11, dx=0.01)
    assert isinstance(out, np.ndarray)
    assert np.max(np.abs(out)) < 1e-5 * np.max(np.abs(background))
    s = gp.singular_values(background, device="cpu")
    assert s[0] == pytest.approx(np.linalg.norm(u) * np.linalg.norm(v), rel=1e-6)
    assert gp.choose_background_rank([100.0, 90.0, 1.0, 0.5]) == 2
    auto = gp.remove_background(gp.BScan(background, dt=1e-11, dx=0.01), method="svd", rank="auto", device="cpu")
    assert auto.history[-1]["parameters"]["last_component"] == 1


def test_robust_pca_recovers_planted_sparse_part():
    rng = np.random.default_rng(2)
    low = (rng.standard_normal((150, 2)) @ rng.standard_normal((2, 50)) * 10).astype(np.float32)
    sparse = np.where(rng.random((150, 50)) < 0.05, rng.choice([-3.0, 3.0], (150, 50)), 0.0).astype(np.float32)
    low_out, sparse_out = gp.robust_pca(gp.BScan(low + sparse, dt=1e-11, dx=0.01), device="cpu")
    assert np.linalg.norm(sparse_out.data - sparse) / np.linalg.norm(sparse) < 1e-3
    assert np.linalg.norm(low_out.data - low) / np.linalg.norm(low) < 1e-3
    assert sparse_out.history[-1]["parameters"]["part"] == "sparse"


def test_metrics_values():
    b = -np.ones((20, 10), dtype=np.float32)
    b[5:8, 2:4] = 10.0
    assert gp.signal_to_clutter_ratio(b, samples=(5, 8), traces=(2, 4)) == pytest.approx(20.0)
    quieter = np.where(b < 0, -0.1, b).astype(np.float32)
    assert gp.scr_improvement(b, quieter, samples=(5, 8), traces=(2, 4)) == pytest.approx(20.0)
    reference = np.zeros((4, 5), dtype=np.float32)
    reference[1, 1] = -2.0
    assert gp.psnr(reference + np.float32(0.02), reference) == pytest.approx(40.0, rel=1e-5)
    assert math.isinf(gp.psnr(reference, reference))


@pytest.mark.parametrize("kwargs, word", [
    ({"method": "moving_median", "window_traces": 4}, "window_traces"),
    ({"method": "moving_mean", "window_traces": -1}, "window_traces"),
    ({"method": "svd", "components": (3, 2)}, "first_component"),
    ({"method": "svd", "rank": 99}, "last_component"),
    ({"method": "median"}, "method"),
    ({"method": "rpca", "tolerance": 0.0}, "tolerance"),
])
def test_bad_parameters_are_value_errors(kwargs, word):
    flat, _, dt, dx = _scene(40, 20)
    with pytest.raises(ValueError, match=word):
        gp.remove_background(gp.BScan(flat, dt=dt, dx=dx), device="cpu", **kwargs)


def test_nan_input_is_a_value_error():
    flat, _, dt, dx = _scene(40, 20)
    flat[3, 4] = np.nan
    with pytest.raises(ValueError):
        gp.remove_background(flat, method="mean", device="cpu", dt=dt, dx=dx)


@pytest.mark.gpu
@pytest.mark.parametrize("method", ["mean", "moving_mean", "moving_median", "svd"])
def test_cupy_in_cupy_out_matches_cpu(cupy, method):
    flat, hyperbola, dt, dx = _scene(200, 300)
    data = flat + hyperbola
    cpu = gp.remove_background(data, method=method, device="cpu", dt=dt, dx=dx)
    gpu = gp.remove_background(cupy.asarray(data), method=method, device="cuda", dt=dt, dx=dx)
    assert isinstance(gpu, cupy.ndarray)
    np.testing.assert_allclose(cupy.asnumpy(gpu), cpu, atol=1e-5 * np.max(np.abs(data)))


def _stack():
    """Three B-scans: the scene at three amplitudes, each with its own noise."""
    flat, hyperbola, dt, dx = _scene(120, 41)
    rng = np.random.default_rng(5)
    return np.stack([(k + 1) * (flat + hyperbola) + 1e-3 * rng.standard_normal(flat.shape, dtype=np.float32)
                     for k in range(3)]).astype(np.float32), dt, dx


@pytest.mark.parametrize("kwargs", [{"method": "mean"}, {"method": "moving_mean", "window_traces": 9},
                                    {"method": "moving_median", "window_traces": 9}, {"method": "svd", "rank": 1},
                                    {"method": "svd", "rank": "auto"}, {"method": "rpca", "max_iterations": 15}])
def test_stack_equals_one_call_per_bscan(kwargs):
    stack, dt, dx = _stack()
    before = stack.copy()
    out = gp.remove_background(stack, device="cpu", **kwargs)
    assert out.shape == stack.shape and out.dtype == np.float32
    for k in range(stack.shape[0]):
        single = gp.remove_background(stack[k], device="cpu", dt=dt, dx=dx, **kwargs)
        np.testing.assert_array_equal(out[k], single)
    np.testing.assert_array_equal(stack, before)  # the input is left alone
    # float64 and non-contiguous stacks are converted, not refused
    strided = np.asfortranarray(stack.astype(np.float64))
    np.testing.assert_array_equal(gp.remove_background(strided, device="cpu", **kwargs), out)


def test_stack_removes_each_flat_background_and_names_a_bad_bscan():
    flat, _, _, _ = _scene(60, 30)
    stack = np.stack([flat, -2.0 * flat, 0.5 * flat])
    out = gp.remove_background(stack, method="mean", device="cpu")
    assert np.max(np.abs(out)) < 1e-6 * np.max(np.abs(stack))
    stack[2, 7, 5] = np.nan
    with pytest.raises(ValueError, match="B-scan 2 of the input stack.*sample 7, trace 5"):
        gp.remove_background(stack, method="svd", device="cpu")
    with pytest.raises(ValueError, match="empty"):
        gp.remove_background(np.zeros((0, 4, 4), np.float32), device="cpu")
    with pytest.raises(TypeError, match="unknown keyword"):
        gp.remove_background(np.zeros((2, 4, 4), np.float32), device="cpu", dtt=1.0)
    with pytest.raises(ValueError, match="dt"):  # metadata keywords are checked as for one B-scan
        gp.remove_background(np.zeros((2, 4, 4), np.float32), device="cpu", dt=-1.0)
    with pytest.raises(ValueError, match="numeric"):
        gp.remove_background(np.full((2, 4, 4), "a"), device="cpu")


@pytest.mark.gpu
@pytest.mark.parametrize("method", ["mean", "moving_mean", "moving_median", "svd"])
def test_cupy_stack_matches_cpu(cupy, method):
    stack, _, _ = _stack()
    cpu = gp.remove_background(stack, method=method, device="cpu")
    gpu = gp.remove_background(cupy.asarray(stack), method=method, device="cuda")
    assert isinstance(gpu, cupy.ndarray) and gpu.shape == stack.shape
    np.testing.assert_allclose(cupy.asnumpy(gpu), cpu, atol=1e-5 * np.max(np.abs(stack)))
