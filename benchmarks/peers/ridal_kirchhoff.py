#!/usr/bin/env python3
"""ridal's Kirchhoff migration beside gprproc's CPU Kirchhoff: same B-scan, same
aperture, same machine (issue 7's goal: gprproc at least 3x faster).

ridal (PyPI 0.5.0, Rust, multi-threaded with rayon) installs only from source,
and its build fetches about 30 crates from crates.io, which some machines
(this project's among them) cannot reach. Its Kirchhoff kernel, though, needs
nothing but the standard library and a parallel map. So this script takes the
kernel statement from ridal's own sdist (downloaded from PyPI and checked
against its sha256, or given with --sdist), pastes it unchanged into
ridal_kirchhoff/harness.rs, which stands in for ndarray and rayon, compiles it
with rustc -C opt-level=3 (cargo's release level, as maturin builds it) and
runs it on the same B-scan as gprproc. Needs rustc; says why when it cannot run.

How the two are matched (docs/BENCHMARKS.md, "ridal"):
- ridal's aperture is a Fresnel half-width growing with the square root of the
  time row: 0.5 sqrt(L * 2 dz * row) with L = antenna_mhz / v * 1e-3. The
  antenna frequency is set so that its half-width at the last row is half the
  aperture asked for. gprproc runs with that largest half-width at every depth
  and no angle limit, so it always sums at least as many traces as ridal.
- ridal reads its recorded two-way time as if it were one way: it focuses the
  data at half the wave speed (checked here on the same data: sharpest at
  v/2). It is given v/2, the value at which its image is focused.
- ridal interpolates linearly. gprproc runs twice: with linear interpolation
  and no rho filter (ridal's level of processing), and with its defaults
  (rho filter, 4x oversampled windowed sinc, taper).
- Outputs differ by design (weights, normalisation, time vs depth rows), so
  they are compared by where each diffractor focuses: the strongest pixel near
  each true position, in both images.

    python3 benchmarks/peers/ridal_kirchhoff.py [--size field] [--apertures 64 256] [--json F] [--markdown F]
"""
import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_peers import DT, DX, SIZES, VELOCITY, make_bscan  # noqa: E402

RIDAL_VERSION = "0.5.0"
SDIST_URL = ("https://files.pythonhosted.org/packages/83/4a/57c95107d20bcf8fdd9babfde0f489d629ca8f4837fce15db4cbee0659e2/"
             "ridal-0.5.0.tar.gz")
SDIST_SHA256 = "1a2f00959ba39293ce27371f8e03524b57c256bbc1dd37c6c487f2b30815707f"
KERNEL_START = "let output: Vec<f32> = (0..(width * height))"
KERNEL_END = ".collect();"
HARNESS = os.path.join(HERE, "ridal_kirchhoff", "harness.rs")


class Unavailable(RuntimeError):
    """ridal cannot be run here; the message says why."""


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_sdist(cache, given=None):
    """The ridal 0.5.0 sdist: the one given, or a cached or downloaded copy; its sha256 is checked."""
    path = given or os.path.join(cache, f"ridal-{RIDAL_VERSION}.tar.gz")
    if not os.path.exists(path):
        if given:
            raise Unavailable(f"--sdist {given} does not exist")
        try:
            with urllib.request.urlopen(SDIST_URL, timeout=60) as response, open(path + ".part", "wb") as f:
                shutil.copyfileobj(response, f)
        except OSError as error:
            raise Unavailable(f"cannot download ridal's sdist from PyPI ({error}); pass --sdist") from error
        os.replace(path + ".part", path)
    if sha256(path) != SDIST_SHA256:
        raise Unavailable(f"{path} is not ridal {RIDAL_VERSION}'s sdist (sha256 differs)")
    return path


def extract_kernel(sdist):
    """ridal's kernel statement from src/gpr.rs, exactly as published."""
    with tarfile.open(sdist) as tar:
        member = tar.getmember(f"ridal-{RIDAL_VERSION}/src/gpr.rs")
        source = tar.extractfile(member).read().decode()
    if source.count(KERNEL_START) != 1:
        raise Unavailable("ridal's gpr.rs does not contain the Kirchhoff kernel statement exactly once")
    start = source.index(KERNEL_START)
    return source[start:source.index(KERNEL_END, start) + len(KERNEL_END)]


def build_harness(cache, sdist):
    rustc = shutil.which("rustc") or (os.path.expanduser("~/.cargo/bin/rustc")
                                       if os.path.exists(os.path.expanduser("~/.cargo/bin/rustc")) else None)
    if rustc is None:
        raise Unavailable("rustc not found (install Rust to run ridal's kernel)")
    with open(HARNESS) as f:
        template = f.read()
    source = template.replace("// @RIDAL_KERNEL@", extract_kernel(sdist))
    key = hashlib.sha256(source.encode()).hexdigest()[:16]
    binary = os.path.join(cache, f"ridal-kirchhoff-{key}")
    if not os.path.exists(binary):
        rs = os.path.join(cache, f"ridal-kirchhoff-{key}.rs")
        with open(rs, "w") as f:
            f.write(source)
        result = subprocess.run([rustc, "--edition", "2021", "-C", "opt-level=3", "-o", binary + ".part", rs],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise Unavailable(f"rustc could not build the harness:\n{result.stderr[-2000:]}")
        os.replace(binary + ".part", binary)
    return binary


def ridal_half_width(rows, dt_ns, dx, velocity, antenna_mhz):
    """ridal's Fresnel half-width in traces per time row (its formula, as numbers)."""
    logical_res = antenna_mhz / velocity * 1e-3
    return 0.5 * np.sqrt(logical_res * 2.0 * dt_ns * velocity * rows) / dx


def antenna_mhz_for(half_traces, n_samples, dt_ns, dx, velocity):
    """The antenna frequency at which ridal's half-width at the last row is `half_traces`."""
    radius = half_traces * dx
    logical_res = (2.0 * radius) ** 2 / (2.0 * dt_ns * velocity * (n_samples - 1))
    return logical_res * velocity / 1e-3


def ridal_contributions(n_samples, n_traces, dt_ns, dx, velocity, antenna_mhz):
    """Pixel-trace pairs ridal's kernel sums: its neighbour range per pixel, added up."""
    total = 0
    traces = np.arange(n_traces)
    for row, width in enumerate(ridal_half_width(np.arange(n_samples), dt_ns, dx, velocity, antenna_mhz)):
        if width < 0.1:
            continue
        low = np.clip(np.floor(traces - width), 0, n_traces).astype(np.int64)
        high = np.clip(traces + math.ceil(width) + 1, 0, n_traces)
        total += int((high - low).sum())
    return total


def run_ridal(binary, data, dt_ns, dx, velocity, antenna_mhz, repetitions, threads=None):
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
        np.ascontiguousarray(data, dtype="<f4").tofile(src)
        env = dict(os.environ)
        if threads:
            env["RAYON_NUM_THREADS"] = str(threads)
        n_samples, n_traces = data.shape
        result = subprocess.run([binary, src, str(n_samples), str(n_traces), repr(dt_ns), repr(dx), repr(velocity),
                                 repr(antenna_mhz), str(repetitions), dst], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise RuntimeError(f"ridal harness failed: {result.stderr[-2000:]}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        image = np.fromfile(dst, dtype="<f4").reshape(n_samples, n_traces)
    return report, image


WAVELET_DELAY = 1.5e-9  # make_bscan's Ricker peaks 1.5 ns after the arrival: the focus sits v * 0.75 ns deeper


def diffractors(n_traces):
    """make_bscan's point diffractors: (trace, depth in m)."""
    return [(c, 0.2 + 0.2 * ((c // 100) % 5)) for c in range(50, n_traces, 100)]


def focus_errors(image, row_size, search=0.1):
    """Per diffractor: |row error| and |trace error| of the envelope's peak within `search` m
    (rows of `row_size` m from depth 0, as both images have here)."""
    import scipy.signal
    # The envelope along depth: gprproc's rho filter turns the wavelet's phase by
    # 45 degrees, which moves the strongest sample but not the envelope's peak.
    envelope = np.abs(scipy.signal.hilbert(image, axis=0))
    errors = []
    n_rows, n_traces = image.shape
    reach = int(round(search / DX))
    for trace, depth in diffractors(n_traces):
        centre = (depth + VELOCITY * WAVELET_DELAY / 2) / row_size
        if trace - reach < 0 or trace + reach >= n_traces or centre + search / row_size >= n_rows:
            continue
        rows = slice(max(0, int(centre - search / row_size)), int(centre + search / row_size) + 1)
        window = envelope[rows, trace - reach:trace + reach + 1]
        i, j = np.unravel_index(np.argmax(window), window.shape)
        errors.append((abs(rows.start + i - centre), abs(j - reach)))
    return np.array(errors, dtype=float)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="field")
    parser.add_argument("--apertures", type=int, nargs="+", default=[64, 256],
                        help="ridal's largest aperture in traces (2 x its half-width at the last row)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--sdist", help="ridal-0.5.0.tar.gz (default: downloaded from PyPI into --cache)")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "gprproc-ridal"))
    parser.add_argument("--threads", type=int, help="threads for both (OMP_NUM_THREADS, RAYON_NUM_THREADS); "
                        "default: every CPU for both")
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    if args.threads:
        os.environ["OMP_NUM_THREADS"] = str(args.threads)  # before gprproc's OpenMP starts

    import gprproc as gp
    os.makedirs(args.cache, exist_ok=True)
    try:
        binary = build_harness(args.cache, fetch_sdist(args.cache, args.sdist))
    except Unavailable as error:
        print(f"ridal not run: {error}", file=sys.stderr)
        sys.exit(2)

    n_samples, n_traces = SIZES[args.size]
    raw = make_bscan(n_samples, n_traces)
    data = np.ascontiguousarray(raw - raw.mean(axis=1, keepdims=True), dtype=np.float32)  # both see the hyperbolas
    dt_ns, ridal_velocity = DT * 1e9, VELOCITY * 1e-9 / 2  # see the module docstring: ridal focuses at v/2
    dz = VELOCITY * DT / 2  # gprproc's depth rows at the time rows' spacing: same image size
    depth = dz * (n_samples - 1)
    rows = []
    for aperture in args.apertures:
        half = aperture / 2
        mhz = antenna_mhz_for(half, n_samples, dt_ns, DX, ridal_velocity)
        ridal_count = ridal_contributions(n_samples, n_traces, dt_ns, DX, ridal_velocity, mhz)
        print(f"aperture {aperture}: ridal antenna {mhz:.3g} MHz, {ridal_count / 1e9:.3f} G contributions",
              file=sys.stderr, flush=True)
        report, ridal_image = run_ridal(binary, data, dt_ns, DX, ridal_velocity, mhz, args.repetitions, args.threads)
        ridal_seconds = min(report["seconds"])
        ridal_errors = focus_errors(ridal_image, dz)
        rows.append(dict(aperture=aperture, implementation=f"ridal {RIDAL_VERSION} kernel (Rust, "
                         f"{report['threads']} threads)", seconds=ridal_seconds, contributions=ridal_count,
                         ratio=None, focus=ridal_errors))
        print(f"  ridal {ridal_seconds:.3f} s", file=sys.stderr, flush=True)
        settings = {
            "gprproc cpu, linear (ridal's processing)": dict(oversampling=1, half_derivative=False, taper=0.0),
            "gprproc cpu, defaults (rho, 4x sinc, taper)": dict(),
        }
        for name, options in settings.items():
            plan = gp.MigrationPlan(data, "kirchhoff", velocity=VELOCITY, dz=dz, depth=depth,
                                    aperture=(math.ceil(half) + 0.5) * DX, max_angle=math.radians(89.9),
                                    device="cpu", dt=DT, dx=DX, **options)
            plan.execute(data, dt=DT, dx=DX)  # warm-up
            times = []
            for _ in range(args.repetitions):
                start = time.perf_counter()
                image = plan.execute(data, dt=DT, dx=DX)
                times.append(time.perf_counter() - start)
            seconds = min(times)
            errors = focus_errors(np.asarray(image), dz)
            rows.append(dict(aperture=aperture, implementation=name, seconds=seconds, contributions=plan.contributions,
                             ratio=ridal_seconds / seconds, focus=errors))
            print(f"  {name}: {seconds:.3f} s, ridal / gprproc = {ridal_seconds / seconds:.2f}", file=sys.stderr,
                  flush=True)

    lines = [f"ridal's Kirchhoff kernel against gprproc's CPU Kirchhoff, {n_samples} x {n_traces} B-scan "
             f"(make_bscan, mean trace removed), {os.cpu_count()} CPUs, threads: "
             f"{args.threads or 'all'}; load average at the end {', '.join(f'{x:.1f}' for x in os.getloadavg())}", "",
             "| aperture (traces) | implementation | time (s) | G contributions | G contributions/s "
             "| ridal time / gprproc time | largest focus error: depth (mm), x (cm) |",
             "|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        f = r["focus"]
        within = f"{f[:, 0].max() * dz * 1e3:.1f}, {f[:, 1].max() * DX * 1e2:.0f} ({len(f)} diffractors)"
        ratio = "-" if r["ratio"] is None else f"**{r['ratio']:.1f}**"
        lines.append(f"| {r['aperture']} | {r['implementation']} | {r['seconds']:.3f} | {r['contributions'] / 1e9:.3f} "
                     f"| {r['contributions'] / r['seconds'] / 1e9:.2f} | {ratio} | {within} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(size=f"{n_samples}x{n_traces}", ridal=RIDAL_VERSION, sdist_sha256=SDIST_SHA256,
                           threads=args.threads or "all",
                           machine=dict(platform=platform.platform(), cpus=os.cpu_count(),
                                        load_average=os.getloadavg()),
                           results=[dict(r, focus=r["focus"].tolist()) for r in rows]), f, indent=2)


if __name__ == "__main__":
    main()
