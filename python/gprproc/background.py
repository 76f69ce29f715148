"""Background and clutter removal, and the metrics to compare methods.

    b2 = gp.remove_background(b, method="moving_median", window_traces=41)
    b2 = gp.remove_background(b, method="svd", rank=1)         # or rank="auto"
    b2 = gp.remove_background(b, method="svd", components=(2, 3))
    low, sparse = gp.robust_pca(b)
    gp.psnr(b2, reference), gp.signal_to_clutter_ratio(b2, samples=(400, 800), traces=(25, 46))

Methods, edge rules and defaults: docs/BACKGROUND.md.
"""
import numpy as np

from . import _arrays, _core, _numbers, _wrap
from .bscan import BScan

_METHODS = ("mean", "moving_mean", "moving_median", "svd", "rpca")


def _components(rank, components):
    """(first, last, automatic) from the user's ``rank`` / ``components``."""
    if components is not None:
        if rank is not None:
            raise ValueError("give either rank=... or components=(k1, k2), not both")
        if isinstance(components, (str, bytes)) or not hasattr(components, "__len__") or len(components) != 2:
            raise ValueError(f"components must be a pair (k1, k2) of 1-based indices, got {components!r}")
        first = _numbers.integer("components[0] (k1)", components[0], minimum=1)
        last = _numbers.integer("components[1] (k2)", components[1], minimum=1)
        return first, last, False
    if rank is None:
        rank = 1
    if isinstance(rank, str):
        if rank.lower() != "auto":
            raise ValueError(f"rank must be a positive integer or 'auto', got {rank!r}")
        return 1, 1, True
    return 1, _numbers.integer("rank", rank, minimum=1), False


def remove_background(bscan, method="mean", *, window_traces=21, rank=None, components=None, max_rank=5,
                      rpca_lambda=None, tolerance=1e-7, max_iterations=1000, device="auto", **metadata):
    """Remove the background (clutter) of a B-scan.

    method          "mean", "moving_mean", "moving_median", "svd" or "rpca"
    window_traces   moving windows: odd number of traces (shrinks at the edges)
    rank            svd: remove components 1..rank, or "auto" (largest drop of the
                    log singular values among the first ``max_rank``)
    components      svd: (k1, k2), remove components k1..k2 (1-based, inclusive)
    rpca_lambda     rpca: sparse weight, default 1/sqrt(max(n_samples, n_traces))
    tolerance, max_iterations   rpca stopping rule on ||M - L - S||_F / ||M||_F

    Returns a new BScan (or a bare array for a bare array), on the input's device.

    A 3-D array of shape (n_bscans, n_samples, n_traces) is a stack (the channels
    of an antenna array, the lines of a 3-D survey): each B-scan is processed on
    its own, as a loop would, and a 3-D array comes back. The mean and moving
    methods run over the whole stack in one pass (on the GPU, one launch).
    """
    _wrap.check_device(device)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    first, last, automatic = _components(rank, components)
    window_traces = _numbers.integer("window_traces", window_traces, minimum=1)
    max_rank = _numbers.integer("max_rank", max_rank, minimum=1)
    rpca_lambda = _numbers.optional_real("rpca_lambda", rpca_lambda)
    tolerance = _numbers.real("tolerance", tolerance)
    max_iterations = _numbers.integer("max_iterations", max_iterations, minimum=1)
    if not isinstance(bscan, BScan) and getattr(bscan, "ndim", 2) == 3:
        stack = _as_float32_stack(bscan)
        # The metadata keywords are checked as for one B-scan (its first; no copy, no scan).
        meta = _wrap.core_metadata(_wrap.as_bscan(stack[0], metadata, kernel_checks_finite=True)[0])
        output = _wrap.empty_like(stack)
        n_bscans, n_samples, n_traces = stack.shape
        _core.remove_background_stack(stack.reshape(n_bscans * n_samples, n_traces),
                                      output.reshape(n_bscans * n_samples, n_traces), n_bscans, meta, method,
                                      window_traces, first, last, automatic, max_rank,
                                      rpca_lambda or 0.0, tolerance, max_iterations, device)
        return output
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    meta = _wrap.core_metadata(b, "remove_background")
    output = _wrap.empty_like(b.data)
    report = _core.remove_background(b.data, output, meta, method, window_traces, first, last, automatic,
                                     max_rank, rpca_lambda or 0.0, tolerance, max_iterations, device)
    parameters = {"method": method}
    if method in ("moving_mean", "moving_median"):
        parameters["window_traces"] = window_traces
    elif method == "svd":
        parameters.update(automatic_rank=automatic, first_component=report["first_component"],
                          last_component=report["last_component"])
    elif method == "rpca":
        # The weight used: the default 1/sqrt(max(n_samples, n_traces)) resolved, not 0.
        parameters.update(rpca_lambda=report["lambda"], tolerance=tolerance, max_iterations=max_iterations,
                          iterations=report["iterations"], relative_residual=report["relative_residual"],
                          converged=report["converged"])
    return _wrap.result(b, output, bare, "remove_background", parameters)


def _as_float32_stack(data):
    """A 3-D stack as a float32 C-contiguous array of its own module (a copy
    only when the dtype or layout needs one)."""
    stack = _arrays.as_float32(data, "the stack", "(n_bscans, n_samples, n_traces)")
    if stack.size == 0:
        raise ValueError(f"the stack is empty: shape {tuple(stack.shape)}; it needs at least one B-scan, "
                         "one sample and one trace")
    return stack


def robust_pca(bscan, *, rpca_lambda=None, tolerance=1e-7, max_iterations=1000, device="auto", **metadata):
    """Low-rank + sparse decomposition: returns ``(low_rank, sparse)`` (BScans, or
    arrays for a bare array); low_rank is the background, sparse the targets."""
    _wrap.check_device(device)
    rpca_lambda = _numbers.optional_real("rpca_lambda", rpca_lambda)
    tolerance = _numbers.real("tolerance", tolerance)
    max_iterations = _numbers.integer("max_iterations", max_iterations, minimum=1)
    b, bare = _wrap.as_bscan(bscan, metadata, kernel_checks_finite=True)
    low = _wrap.empty_like(b.data)
    sparse = _wrap.empty_like(b.data)
    report = _core.robust_pca(b.data, low, sparse, rpca_lambda or 0.0, tolerance, max_iterations, device)
    parameters = {"rpca_lambda": report["lambda"], "tolerance": tolerance, "max_iterations": max_iterations,
                  "iterations": report["iterations"],
                  "relative_residual": report["relative_residual"], "converged": report["converged"]}
    return (_wrap.result(b, low, bare, "robust_pca", dict(parameters, part="low_rank")),
            _wrap.result(b, sparse, bare, "robust_pca", dict(parameters, part="sparse")))


def _host_samples(obj, name="bscan"):
    data = obj.data if isinstance(obj, BScan) else obj
    return _arrays.as_float32_2d(_arrays.to_host(data) if _arrays.is_device_array(data) else data, name)


def singular_values(bscan, *, device="auto"):
    """Singular values of the B-scan (as a matrix), largest first (numpy array)."""
    _wrap.check_device(device)
    data = bscan.data if isinstance(bscan, BScan) else _arrays.as_float32_2d(bscan)
    return np.asarray(_core.singular_values(data, device))


def choose_background_rank(singular_values, max_rank=5):
    """The automatic rank rule: k in 1..max_rank with the largest ln(s_k) - ln(s_k+1)."""
    return _core.choose_background_rank(_numbers.reals("singular_values", singular_values),
                                        _numbers.integer("max_rank", max_rank, minimum=1))


def _window(samples, traces):
    """(a, b, c, d) from samples=(a, b) and traces=(c, d), whole numbers."""
    values = []
    for name, pair in (("samples", samples), ("traces", traces)):
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"{name} must be a pair (begin, end) of indices, got {pair!r}")
        values += [_numbers.integer(f"{name}[0]", pair[0], minimum=0), _numbers.integer(f"{name}[1]", pair[1], minimum=0)]
    return values


def signal_to_clutter_ratio(bscan, samples, traces):
    """SCR (dB): mean power in samples [a, b) x traces [c, d) over the mean power elsewhere."""
    return _core.signal_to_clutter_ratio(_host_samples(bscan), *_window(samples, traces))


def scr_improvement(before, after, samples, traces):
    """SCR(after) - SCR(before) in dB for the same target window."""
    return _core.scr_improvement(_host_samples(before, "before"), _host_samples(after, "after"),
                                 *_window(samples, traces))


def psnr(result, reference):
    """PSNR (dB) of ``result`` against a clutter-free ``reference``: peak = max |reference|."""
    return _core.psnr(_host_samples(result, "result"), _host_samples(reference, "reference"))
