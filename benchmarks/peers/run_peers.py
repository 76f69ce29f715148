#!/usr/bin/env python3
"""gprproc against the tools a researcher would pick instead, on the same data
and parameters: plain numpy/scipy (researcher_ops.py), readgssi's filters,
and CuPy on a GPU. ridal's Kirchhoff kernel has its own script,
ridal_kirchhoff.py (ridal's Python API reads vendor files only, and the
package needs crates.io to build). Each peer's time is reported as a
ratio to gprproc's (peer time / gprproc time: > 1 means gprproc is faster),
with the largest difference of its output from gprproc's, relative to the
largest |value| of gprproc's output ("a speed-up with a different answer does
not count").

    python3 benchmarks/peers/run_peers.py [--size quick|field|long] [--json FILE] [--markdown FILE]
"""
import argparse
import importlib
import json
import math
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import researcher_ops as ops  # noqa: E402

import gprproc as gp  # noqa: E402

SIZES = {"quick": (256, 1024), "field": (1024, 4096), "long": (1024, 65536)}
DT, DX, VELOCITY = 50e-12, 0.01, 1.0e8


def make_bscan(n_samples, n_traces, seed=1):
    """A field-like B-scan: direct wave and ground bounce (flat), point diffractors, a wow, noise."""
    rng = np.random.default_rng(seed)
    t = DT * np.arange(n_samples)

    def ricker(tau, f=1e9):
        a = (math.pi * f * tau) ** 2
        return (1 - 2 * a) * np.exp(-a)

    column = 2 * ricker(t - 1.5e-9) + ricker(t - 2.5e-9) + 0.3 * np.exp(-t / 20e-9)
    data = np.repeat(column[:, None], n_traces, axis=1) + 0.02 * (rng.random((n_samples, n_traces)) - 0.5)
    x = DX * np.arange(n_traces)
    for centre in range(50, n_traces, 100):
        zt = 0.2 + 0.2 * ((centre // 100) % 5)
        lo, hi = max(0, centre - 150), min(n_traces, centre + 150)
        dxs = x[lo:hi] - x[centre]
        arrival = 2 * np.sqrt(dxs ** 2 + zt ** 2) / VELOCITY
        data[:, lo:hi] += 0.5 * zt / np.sqrt(dxs ** 2 + zt ** 2) * ricker(t[:, None] - arrival[None, :] - 1.5e-9)
    return np.ascontiguousarray(data, dtype=np.float32)


def timed(function, repetitions, budget, sync=None):
    function()  # warm-up
    if sync:
        sync()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        result = function()
        if sync:
            sync()
        times.append(time.perf_counter() - start)
        if sum(times) > budget:
            break
    return statistics.median(times), result


def relative_difference(result, reference, interior=None):
    a = np.asarray(result, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    if interior is not None:
        a, b = a[interior], b[interior]
    scale = np.max(np.abs(b))
    return float(np.max(np.abs(a - b)) / scale) if scale > 0 else float(np.max(np.abs(a - b)))


def try_import(name):
    try:
        return importlib.import_module(name), None
    except Exception as error:  # noqa: BLE001 - any failure means "not available", with the reason
        return None, f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="field")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of timed runs per measurement")
    parser.add_argument("--filter", default="", help="only operations whose name contains this")
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    parser.add_argument("--no-kirchhoff", action="store_true", help="skip the (slow) numpy Kirchhoff peer")
    args = parser.parse_args()

    n_samples, n_traces = SIZES[args.size]
    data = make_bscan(n_samples, n_traces)
    meta = dict(dt=DT, dx=DX, t0=0.0)
    n_fft = 2 * n_samples if (n_samples & (n_samples - 1)) == 0 else None
    if n_fft is None:
        import scipy.fft
        n_fft = scipy.fft.next_fast_len(2 * n_samples)

    import scipy.ndimage
    import scipy.signal

    readgssi_filtering, readgssi_error = try_import("readgssi.filtering")
    cupy, cupy_error = try_import("cupy")
    use_gpu = cupy is not None and gp.cuda_available()
    header = {"samp_freq": 1.0 / DT}

    rows = []

    def run(operation, gprproc_call, peers, interior=None):
        """peers: list of (name, callable, agreement_expected, note)."""
        if args.filter and args.filter not in operation:
            return
        base_time, reference = timed(gprproc_call, args.repetitions, args.budget)
        rows.append(dict(operation=operation, implementation="gprproc (cpu)", seconds=base_time, ratio=1.0,
                         max_relative_difference=0.0, note=""))
        print(f"{operation:26s} gprproc cpu {base_time * 1e3:10.2f} ms", file=sys.stderr, flush=True)
        for name, call, comparable, note in peers:
            try:
                seconds, result = timed(call, args.repetitions, args.budget)
                difference = relative_difference(result, reference, interior) if comparable else None
            except Exception as error:  # noqa: BLE001 - a failing peer is reported, not fatal
                rows.append(dict(operation=operation, implementation=name, seconds=None, ratio=None,
                                 max_relative_difference=None, note=f"failed: {type(error).__name__}: {error}"))
                continue
            rows.append(dict(operation=operation, implementation=name, seconds=seconds, ratio=seconds / base_time,
                             max_relative_difference=difference, note=note))
            shown = "n/a" if difference is None else f"{difference:.2e}"
            print(f"{operation:26s} {name:28s} {seconds * 1e3:10.2f} ms  x{seconds / base_time:7.2f}  diff {shown}",
                  file=sys.stderr, flush=True)

    cpu = dict(device="cpu")
    # ---- filters
    run("remove_dc", lambda: gp.remove_dc(data, **cpu, **meta), [
        ("numpy", lambda: ops.remove_dc(np, data), True, "")])
    peers = [("numpy (cumsum)", lambda: ops.dewow(np, data, DT, 2e-9), True, "")]
    if readgssi_filtering:
        peers.append(("readgssi dewow", lambda: readgssi_filtering.dewow(data.copy()), False,
                      "different algorithm (cubic fit of trace 10 added to every trace): not comparable"))
    run("dewow (2 ns)", lambda: gp.dewow(data, 2e-9, **cpu, **meta), peers)
    band = dict(low=250e6, high=2e9, low_taper=100e6, high_taper=500e6)
    peers = [("numpy rfft", lambda: ops.bandpass(np, data, DT, band["low"], band["high"], band["low_taper"],
                                                 band["high_taper"], n_fft), True, "")]
    if readgssi_filtering:
        peers.append(("readgssi bp (obspy)", lambda: readgssi_filtering.bp(data.copy(), header, 250, 2000), False,
                      "Butterworth 1 corner, filtfilt: a different filter, not comparable"))
        peers.append(("readgssi triangular", lambda: readgssi_filtering.triangular(data.copy(), header, 250, 2000),
                      False, "25-tap FIR, forward-backward: a different filter, not comparable"))
    run("bandpass (0.25-2 GHz)", lambda: gp.bandpass(data, **band, **cpu, **meta), peers)
    run("envelope", lambda: gp.envelope(data, **cpu, **meta), [
        ("scipy.signal.hilbert", lambda: ops.envelope(np, data, n_fft, scipy.signal.hilbert), True, "")])
    # ---- gain
    sec = dict(power=1.0, exponent=2e7, reference_time=1e-9)
    run("time_gain (SEC)", lambda: gp.time_gain(data, **sec, **cpu, **meta), [
        ("numpy", lambda: ops.sec_gain(np, data, DT, 0.0, **sec), True, "")])
    run("agc (5 ns)", lambda: gp.agc(data, 5e-9, **cpu, **meta), [
        ("numpy (cumsum)", lambda: ops.agc(np, data, DT, 5e-9, 1e-3), True, "")])
    # ---- background
    peers = [("numpy", lambda: ops.background_mean(np, data), True, "")]
    if readgssi_filtering:
        peers.append(("readgssi bgr (full width)", lambda: readgssi_filtering.bgr(data.copy(), header, win=0), True,
                      "python loop over rows"))
    run("background mean", lambda: gp.remove_background(data, "mean", **cpu, **meta), peers)
    # A stack of B-scans (the channels of an array; 8 of them, at most 512 MiB in all): one call
    # against numpy's one expression.
    n_stack = max(2, min(8, (512 << 20) // data.nbytes))
    stack = np.stack([data] * n_stack)
    run(f"background mean (stack of {n_stack})", lambda: gp.remove_background(stack, "mean", **cpu), [
        ("numpy", lambda: ops.background_mean(np, stack), True, "")])
    half = 10
    interior = (slice(None), slice(half, n_traces - half))
    peers = [("numpy (cumsum)", lambda: ops.background_moving_mean(np, data, 21), True, "")]
    if readgssi_filtering:
        peers.append(("readgssi bgr (21 traces)", lambda: readgssi_filtering.bgr(data.copy(), header, win=21), True,
                      "zero-padded ends: compared on the interior traces"))
    run("background moving mean (21)", lambda: gp.remove_background(data, "moving_mean", window_traces=21, **cpu,
                                                                     **meta), peers, interior=interior)
    run("background moving median (21)", lambda: gp.remove_background(data, "moving_median", window_traces=21,
                                                                       **cpu, **meta), [
        ("scipy.ndimage.median_filter", lambda: ops.background_moving_median(data, 21, scipy.ndimage.median_filter),
         True, "'nearest' ends: compared on the interior traces")], interior=interior)
    if n_traces <= 8192:
        run("background svd (rank 1)", lambda: gp.remove_background(data, "svd", rank=1, **cpu, **meta), [
            ("numpy.linalg.svd", lambda: ops.background_svd(np, data, 1), True, "full SVD")])
    # ---- migration: a plain diffraction sum both sides (no weights, taper,
    # rho filter or oversampling), zero offset and the antenna on the ground,
    # so that the numpy version computes the same sum.
    if not args.no_kirchhoff:
        aperture_traces, dz = 64, 5e-3
        depth = VELOCITY * DT * (n_samples - 1) / 2
        n_z = int(math.floor(depth / dz + 1e-9)) + 1
        kirchhoff = dict(velocity=VELOCITY, dz=dz, depth=depth, aperture=(aperture_traces // 2 + 0.5) * DX,
                         max_angle=math.radians(89.9), taper=0.0, half_derivative=False, obliquity_weights=False,
                         oversampling=1)
        rows_below_surface = (slice(1, None), slice(None))  # row 0: the angle limit leaves one trace
        run(f"kirchhoff (aperture {aperture_traces})", lambda: gp.migrate(data, "kirchhoff", **kirchhoff, **cpu,
                                                                          **meta), [
            ("numpy (loop over offsets)", lambda: ops.kirchhoff_plain(data, DT, DX, VELOCITY, dz, n_z,
                                                                       aperture_traces), True, "plain sum")],
            interior=rows_below_surface)

    # ---- GPU: gprproc (device-resident CuPy arrays) against CuPy versions.
    if use_gpu:
        import cupyx.scipy.ndimage
        import cupyx.scipy.signal
        d = cupy.asarray(data)
        d_stack = cupy.asarray(stack)
        sync = cupy.cuda.Device().synchronize
        gpu_cases = [
            ("remove_dc", lambda: gp.remove_dc(d, device="cuda", **meta), lambda: ops.remove_dc(cupy, d)),
            ("dewow (2 ns)", lambda: gp.dewow(d, 2e-9, device="cuda", **meta), lambda: ops.dewow(cupy, d, DT, 2e-9)),
            ("bandpass (0.25-2 GHz)", lambda: gp.bandpass(d, **band, device="cuda", **meta),
             lambda: ops.bandpass(cupy, d, DT, band["low"], band["high"], band["low_taper"], band["high_taper"],
                                  n_fft)),
            ("envelope", lambda: gp.envelope(d, device="cuda", **meta),
             lambda: ops.envelope(cupy, d, n_fft, cupyx.scipy.signal.hilbert)),
            ("time_gain (SEC)", lambda: gp.time_gain(d, **sec, device="cuda", **meta),
             lambda: ops.sec_gain(cupy, d, DT, 0.0, **sec)),
            ("agc (5 ns)", lambda: gp.agc(d, 5e-9, device="cuda", **meta), lambda: ops.agc(cupy, d, DT, 5e-9, 1e-3)),
            ("background mean", lambda: gp.remove_background(d, "mean", device="cuda", **meta),
             lambda: ops.background_mean(cupy, d)),
            (f"background mean (stack of {n_stack})", lambda: gp.remove_background(d_stack, "mean", device="cuda"),
             lambda: ops.background_mean(cupy, d_stack)),
            ("background moving mean (21)",
             lambda: gp.remove_background(d, "moving_mean", window_traces=21, device="cuda", **meta),
             lambda: ops.background_moving_mean(cupy, d, 21)),
            ("background svd (rank 1)", lambda: gp.remove_background(d, "svd", rank=1, device="cuda", **meta),
             lambda: ops.background_svd(cupy, d, 1)),
        ]
        for operation, ours, theirs in gpu_cases:
            if args.filter and args.filter not in operation:
                continue
            try:
                base, reference = timed(ours, args.repetitions, args.budget, sync)
                seconds, result = timed(theirs, args.repetitions, args.budget, sync)
                difference = relative_difference(cupy.asnumpy(result), cupy.asnumpy(reference),
                                                 interior if "moving" in operation else None)
            except Exception as error:  # noqa: BLE001
                rows.append(dict(operation=operation, implementation="cupy", seconds=None, ratio=None,
                                 max_relative_difference=None, note=f"failed: {type(error).__name__}: {error}"))
                continue
            rows.append(dict(operation=operation, implementation="gprproc (cuda, device-resident)", seconds=base,
                             ratio=1.0, max_relative_difference=0.0, note=""))
            rows.append(dict(operation=operation, implementation="cupy", seconds=seconds, ratio=seconds / base,
                             max_relative_difference=difference, note="ratio to gprproc cuda"))

    unavailable = {}
    if readgssi_filtering is None:
        unavailable["readgssi"] = readgssi_error
    unavailable["ridal"] = ("not here: its Python API processes vendor files only; its Kirchhoff kernel runs on this "
                            "B-scan in benchmarks/peers/ridal_kirchhoff.py")
    if not use_gpu:
        unavailable["cupy"] = cupy_error or "no CUDA device visible to gprproc"
    result = dict(size=f"{n_samples}x{n_traces}", machine=dict(platform=platform.platform(), cpus=os.cpu_count(),
                                                               python=sys.version.split()[0], numpy=np.__version__,
                                                               omp_num_threads=os.environ.get("OMP_NUM_THREADS", "unset"),
                                                               load_average=os.getloadavg()),
                  gprproc=gp.__version__, unavailable=unavailable, results=rows)
    lines = [f"Peers on a {n_samples} x {n_traces} B-scan (ratio = peer time / gprproc time; > 1: gprproc faster; "
             "difference = max |peer - gprproc| / max |gprproc|)", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, OMP_NUM_THREADS="
             f"{os.environ.get('OMP_NUM_THREADS', 'unset')}, load average at the end "
             f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; numpy {np.__version__}", "",
             "| operation | implementation | time (ms) | ratio to gprproc | max rel. difference | note |",
             "|---|---|---:|---:|---:|---|"]
    for r in rows:
        t = "-" if r["seconds"] is None else f"{r['seconds'] * 1e3:.2f}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        diff = r["max_relative_difference"]
        shown = "n/a" if diff is None else ("-" if r["ratio"] == 1.0 and diff == 0.0 else f"{diff:.1e}")
        lines.append(f"| {r['operation']} | {r['implementation']} | {t} | {ratio} | {shown} | {r['note']} |")
    if unavailable:
        lines += ["", "Not run: " + "; ".join(f"{k} ({v})" for k, v in unavailable.items())]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
