#!/usr/bin/env python3
"""gprproc's 3-D Kirchhoff against the one a researcher would write in numpy
(and the same code on CuPy where there is a GPU), on the same cube and
parameters: zero offset, antenna on the ground, constant velocity, circular
aperture with a cosine taper and an angle limit, the time-derivative
pre-filter by FFT, dx dy cos / (pi v R) weights, linear interpolation
(gprproc with oversampling=1, so both sum the same numbers; gprproc's
default oversampling 4 is timed beside it).

The numpy version loops over the aperture's (line, trace) offsets and, for
each, updates every image point at once (all lines, depths and traces:
one gather along time and two multiply-adds on (n_lines, n_z, n_traces)
arrays), which is how such a sum is vectorised in numpy.

Reported: seconds per call (median), the ratio numpy / gprproc (> 1: gprproc
faster), and the largest difference of each output from gprproc's, relative
to gprproc's largest |value|.

    python3 benchmarks/peers/kirchhoff_3d_peer.py [--lines 32 --samples 512 --traces 256 --depths 100
                                                   --radius 12] [--repetitions 3] [--json F] [--markdown F]
"""
import argparse
import json
import math
import os
import platform
import statistics
import sys
import time

import numpy as np

import gprproc as gp

DT, DX, DY, VELOCITY, DZ = 50e-12, 0.01, 0.01, 1.0e8, 5e-3
MAX_ANGLE, TAPER = math.radians(80.0), 0.25


def make_cube(n_lines, n_samples, n_traces, seed=3):
    """Noise, a flat ground bounce and 3-D diffraction bowls every 0.4 m (d/dt Ricker)."""
    rng = np.random.default_rng(seed)
    t = DT * np.arange(n_samples)
    y, x = np.meshgrid(DY * np.arange(n_lines), DX * np.arange(n_traces), indexing="ij")
    data = 0.02 * (rng.random((n_lines, n_samples, n_traces)) - 0.5)
    a = math.pi * 1e9 * (t - 1.5e-9)
    data += ((1 - 2 * a * a) * np.exp(-a * a))[None, :, None]
    for yt in np.arange(0.05, y.max() + 0.05, 0.4):
        for xt in np.arange(0.2, x.max() + 0.2, 0.4):
            zt = 0.2 + 0.1 * ((xt + yt) // 0.4 % 5)
            arrival = 2 * np.sqrt((x - xt) ** 2 + (y - yt) ** 2 + zt ** 2) / VELOCITY
            a = math.pi * 1e9 * (t[None, :, None] - arrival[:, None, :])
            data += -(6 * a - 4 * a ** 3) * np.exp(-a * a) / 2
    return np.ascontiguousarray(data, dtype=np.float32)


def kirchhoff_3d_researcher(xp, cube, dt, dx, dy, velocity, dz, n_z, radius, max_angle, taper):
    """3-D Kirchhoff, zero offset, antenna on the ground: a loop over aperture offsets."""
    n_lines, n_samples, n_traces = cube.shape
    n_fft = 1 << (2 * n_samples - 1).bit_length()
    omega = 2 * math.pi * xp.arange(n_fft // 2 + 1) / (n_fft * dt)
    factor = -1j * omega
    factor[0] = 0
    factor[-1] = 0
    spectrum = xp.fft.rfft(xp.asarray(cube, dtype=xp.float64), n=n_fft, axis=1)
    filtered = xp.fft.irfft(spectrum * factor[None, :, None], n=n_fft, axis=1)[:, :n_samples, :]
    # One zero sample before and after each trace (reads outside the record are zero).
    padded = xp.zeros((n_lines, n_samples + 2, n_traces))
    padded[:, 1:-1, :] = filtered
    z = dz * xp.arange(n_z)
    limit = xp.minimum(radius, z * math.tan(max_angle))
    taper_limit = xp.maximum(limit, 0.5 * min(dx, dy))
    flat = taper_limit * (1 - taper)
    image = xp.zeros((n_lines, n_z, n_traces))
    ky, kx = int(math.floor(radius / dy + 1e-9)), int(math.floor(radius / dx + 1e-9))
    for dl in range(-min(ky, n_lines - 1), min(ky, n_lines - 1) + 1):
        for dk in range(-min(kx, n_traces - 1), min(kx, n_traces - 1) + 1):
            r = math.hypot(dl * dy, dk * dx)
            inside = (r <= limit * (1 + 1e-12) + 1e-15) | (r == 0)
            u = xp.clip((r - flat) / xp.maximum(taper_limit - flat, 1e-30), 0, 1)
            w_taper = xp.where(r <= flat, 1.0, 0.5 * (1 + xp.cos(math.pi * u)))
            w_taper = xp.where(r > taper_limit, 0.0, w_taper) * inside
            distance = xp.sqrt(r * r + z * z)
            weight = w_taper * dx * dy * (z / xp.maximum(distance, 1e-30)) / (
                math.pi * velocity * xp.maximum(distance, 0.5 * min(dx, dy)))
            weight = xp.where(distance > 0, weight, w_taper * dx * dy / (math.pi * velocity * 0.5 * min(dx, dy)))
            position = 2 * distance / velocity / dt
            i0 = xp.floor(position)
            f = position - i0
            i0 = i0.astype(xp.int64)
            valid = (i0 >= -1) & (i0 <= n_samples - 1) & (weight != 0)
            w0, w1 = xp.where(valid, weight * (1 - f), 0), xp.where(valid, weight * f, 0)
            i0 = xp.clip(i0, -1, n_samples - 1)
            l0, l1 = max(0, -dl), min(n_lines, n_lines - dl)
            k0, k1 = max(0, -dk), min(n_traces, n_traces - dk)
            source = padded[l0 + dl:l1 + dl, :, k0 + dk:k1 + dk]
            image[l0:l1, :, k0:k1] += (w0[None, :, None] * source[:, i0 + 1, :] +
                                       w1[None, :, None] * source[:, i0 + 2, :])
    return image


def timed(function, repetitions, sync=None):
    result = function()  # warm-up
    if sync:
        sync()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        result = function()
        if sync:
            sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=32)
    parser.add_argument("--samples", type=int, default=512)
    parser.add_argument("--traces", type=int, default=256)
    parser.add_argument("--depths", type=int, default=100)
    parser.add_argument("--radius", type=int, default=12, help="aperture radius in traces")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    args = parser.parse_args()

    cube = make_cube(args.lines, args.samples, args.traces)
    radius = (args.radius + 0.5) * DX
    depth = DZ * (args.depths - 1)
    common = dict(method="kirchhoff", velocity=VELOCITY, dz=DZ, depth=depth, aperture=radius, dt=DT, t0=0.0, dx=DX,
                  dy=DY, max_angle=MAX_ANGLE, taper=TAPER)
    plan1 = gp.Kirchhoff3DPlan(cube, velocity=VELOCITY, dz=DZ, depth=depth, aperture=radius, dt=DT, t0=0.0, dx=DX,
                               dy=DY, max_angle=MAX_ANGLE, taper=TAPER, oversampling=1, device="cpu")
    contributions = plan1.contributions
    rows = []
    base, reference = timed(lambda: plan1.execute(cube, dt=DT, t0=0.0, dx=DX, dy=DY).data, args.repetitions)
    scale = float(np.max(np.abs(reference)))
    rows.append(dict(implementation="gprproc cpu (oversampling 1)", seconds=base, ratio=1.0, difference=0.0))
    seconds, _ = timed(lambda: gp.migrate_3d(cube, device="cpu", **common).data, args.repetitions)
    rows.append(dict(implementation="gprproc cpu (default: oversampling 4, plan per call)", seconds=seconds,
                     ratio=seconds / base, difference=None))
    seconds, result = timed(lambda: kirchhoff_3d_researcher(np, cube, DT, DX, DY, VELOCITY, DZ, args.depths, radius,
                                                            MAX_ANGLE, TAPER), 1)
    rows.append(dict(implementation="numpy (loop over aperture offsets)", seconds=seconds, ratio=seconds / base,
                     difference=float(np.max(np.abs(result - reference)) / scale)))
    try:
        import cupy
        if not gp.cuda_available():
            raise RuntimeError("no CUDA device for gprproc")
        d_cube = cupy.asarray(cube)
        sync = cupy.cuda.Device().synchronize
        seconds, result = timed(lambda: kirchhoff_3d_researcher(cupy, d_cube, DT, DX, DY, VELOCITY, DZ, args.depths,
                                                                radius, MAX_ANGLE, TAPER), args.repetitions, sync)
        rows.append(dict(implementation="CuPy (the numpy code on the GPU)", seconds=seconds, ratio=seconds / base,
                         difference=float(np.max(np.abs(cupy.asnumpy(result) - reference)) / scale)))
        gpu_plan = gp.Kirchhoff3DPlan(d_cube, velocity=VELOCITY, dz=DZ, depth=depth, aperture=radius, dt=DT, t0=0.0,
                                      dx=DX, dy=DY, max_angle=MAX_ANGLE, taper=TAPER, oversampling=1, device="cuda")
        seconds, result = timed(lambda: gpu_plan.execute(d_cube, dt=DT, t0=0.0, dx=DX, dy=DY).data, args.repetitions,
                                sync)
        rows.append(dict(implementation="gprproc cuda (oversampling 1, device-resident)", seconds=seconds,
                         ratio=seconds / base, difference=float(np.max(np.abs(cupy.asnumpy(result) - reference)) /
                                                                scale)))
    except Exception as error:  # noqa: BLE001 - no GPU or no CuPy: said, not fatal
        rows.append(dict(implementation="CuPy", seconds=None, ratio=None, difference=None,
                         note=f"not run: {type(error).__name__}: {error}"))

    size = f"{args.lines}x{args.samples}x{args.traces} -> {args.depths} depths, radius {args.radius} traces"
    threads = os.environ.get("OMP_NUM_THREADS", str(os.cpu_count()))
    lines = [f"3-D Kirchhoff, {size}, {contributions / 1e9:.3f} G contributions; {platform.processor() or platform.machine()}, "
             f"OMP_NUM_THREADS={threads}", "",
             "| implementation | time (s) | G contributions/s | time / gprproc time | max rel. difference |",
             "|---|---:|---:|---:|---:|"]
    for row in rows:
        if row["seconds"] is None:
            lines.append(f"| {row['implementation']} | - | - | - | {row.get('note', '')} |")
            continue
        diff = "-" if row["difference"] is None else f"{row['difference']:.1e}"
        lines.append(f"| {row['implementation']} | {row['seconds']:.3f} | {contributions / row['seconds'] / 1e9:.3g} | "
                     f"{row['ratio']:.2f} | {diff} |")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(size=size, contributions=contributions, rows=rows), f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
