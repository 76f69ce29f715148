#!/usr/bin/env python3
"""Write, simulate and merge a 3-D gprMax survey over a buried disc mine: one
3-D model per survey line, with its truth file.

The survey is a grid of parallel lines over flat soil: lines run along x, one
every `dy` across (gprMax's z axis), traces every `dx` along each line. Each
line is its own gprMax run of `n_traces` steps (src_steps / rx_steps along x),
merged into one file per line. A Hertzian dipole polarised across the lines
(gprMax z) transmits a Ricker wavelet; the receiver sits `offset` further
along x, both `height` above the ground. The mine is a vertical cylinder
(a disc: casing, explosive fill, optional metal striker), plus a few stones.

    python3 scripts/make-landmine-cube.py NAME OUT_DIR [--mine pmn --depth 0.05 ...]

gprMax 4 (pip package `gprMax`) must be importable by the Python given in
GPRMAX_PYTHON (default: this interpreter). Writes OUT_DIR/NAME_lineNN.in,
OUT_DIR/NAME_lineNN_merged.out (Ez only) and OUT_DIR/NAME_truth.json.
With --dry-run only the .in and truth files are written.

Coordinates in the truth file: x along the lines, y across them (gprMax z),
depth below the ground surface (gprMax y is vertical up).
"""
import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

C0 = 299792458.0

# Discs: (diameter, height, casing wall, casing er, fill er, striker (diameter, height) or None).
# Sizes from open mine-action references: PMN 112 mm x 56 mm; PMA-2 68 mm
# body; TS-50 90 mm x 45 mm; M14 56 mm x 40 mm; PMA-1 is a box (here as a disc
# of its width, 66 mm).
MINES = {
    "pmn": (0.112, 0.056, 0.005, 3.0, 2.9, (0.010, 0.010)),
    "pma2": (0.068, 0.060, 0.005, 3.2, 2.9, (0.005, 0.005)),
    "ts50": (0.090, 0.045, 0.005, 3.1, 3.0, (0.005, 0.005)),
    "m14": (0.056, 0.040, 0.005, 3.0, 2.9, None),
}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name")
    p.add_argument("out_dir")
    p.add_argument("--cell", type=float, default=0.005, help="cubic cell size [m]")
    p.add_argument("--mine", choices=sorted(MINES), default="pmn")
    p.add_argument("--depth", type=float, default=0.05, help="depth of the mine's top below the ground [m]")
    p.add_argument("--mine-x", type=float, default=0.21)
    p.add_argument("--mine-y", type=float, default=0.15, help="across the lines [m]")
    p.add_argument("--soil-er", type=float, default=6.0)
    p.add_argument("--soil-sigma", type=float, default=0.002, help="S/m")
    p.add_argument("--stones", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--frequency", type=float, default=1.0e9, help="Ricker centre frequency [Hz]")
    p.add_argument("--height", type=float, default=0.02, help="antenna height above the ground [m]")
    p.add_argument("--offset", type=float, default=0.04, help="transmitter-receiver offset along x [m]")
    p.add_argument("--x-first", type=float, default=0.09, help="midpoint x of trace 0 [m]")
    p.add_argument("--dx", type=float, default=0.01)
    p.add_argument("--traces", type=int, default=25)
    p.add_argument("--y-first", type=float, default=0.07, help="y of line 0 [m]")
    p.add_argument("--dy", type=float, default=0.02)
    p.add_argument("--lines", type=int, default=9)
    p.add_argument("--domain", type=float, nargs=3, default=(0.42, 0.30, 0.30),
                   help="x (along), vertical, across [m]")
    p.add_argument("--ground", type=float, default=0.22, help="height of the ground surface in the domain [m]")
    p.add_argument("--time-window", type=float, default=6e-9)
    p.add_argument("--dry-run", action="store_true")
    a = p.parse_args()

    cell = a.cell
    snap = lambda v: round(round(v / cell) * cell, 6)  # noqa: E731
    rng = random.Random(a.seed)
    diameter, height, wall, casing_er, fill_er, striker = MINES[a.mine]
    lx, ly, lz = a.domain
    g = a.ground
    top = snap(g - a.depth)
    bottom = snap(top - height)
    mx, mz = snap(a.mine_x), snap(a.mine_y)
    radius = diameter / 2
    antenna_y = snap(g + a.height)
    tx0 = snap(a.x_first - a.offset / 2)
    rx0 = snap(a.x_first + a.offset / 2)
    if tx0 < 12 * cell or rx0 + a.dx * (a.traces - 1) > lx - 12 * cell:
        p.error("the antennas come within the PML; widen the domain or shorten the lines")

    common = [
        f"#domain: {lx:.3f} {ly:.3f} {lz:.3f}",
        f"#dx_dy_dz: {cell:.4f} {cell:.4f} {cell:.4f}",
        f"#time_window: {a.time_window:g}",
        f"#waveform: ricker 1 {a.frequency:g} rk",
        f"#material: {a.soil_er:g} {a.soil_sigma:g} 1 0 soil",
        f"#material: {casing_er:g} 0 1 0 mine_casing",
        f"#material: {fill_er:g} 0 1 0 explosive",
        "#material: 6 0.001 1 0 stone",
        f"#box: 0 0 0 {lx:.3f} {g:.3f} {lz:.3f} soil",
    ]
    stones = []
    tries = 0
    while len(stones) < a.stones and tries < 1000:
        tries += 1
        r = rng.choice([0.010, 0.015])
        x = snap(rng.uniform(0.06, lx - 0.06))
        z = snap(rng.uniform(0.06, lz - 0.06))
        y = snap(rng.uniform(g - 0.12, g - 0.03))
        if math.hypot(x - mx, z - mz) < radius + r + 0.03:
            continue
        stones.append(dict(id=f"stone{len(stones) + 1}", kind="stone", x=x, y=z, depth_centre=round(g - y, 6),
                           radius=r, er=6.0))
        common.append(f"#sphere: {x:.3f} {y:.3f} {z:.3f} {r:.3f} stone")
    # The disc mine: casing cylinder, explosive inside, metal striker at the top centre.
    common.append(f"#cylinder: {mx:.3f} {bottom:.3f} {mz:.3f} {mx:.3f} {top:.3f} {mz:.3f} {radius:.4f} mine_casing")
    common.append(f"#cylinder: {mx:.3f} {bottom + wall:.3f} {mz:.3f} {mx:.3f} {top - wall:.3f} {mz:.3f} "
                  f"{radius - wall:.4f} explosive")
    target = dict(id=a.mine, kind="mine", description=f"{a.mine} plastic AP mine (disc)", shape="cylinder",
                  x_centre=mx, y_centre=mz, diameter=diameter, radius=radius, depth_top=round(g - top, 6),
                  depth_bottom=round(g - bottom, 6))
    if striker:
        sd, sh = striker
        common.append(f"#cylinder: {mx:.3f} {snap(top - 0.01 - sh):.3f} {mz:.3f} {mx:.3f} {snap(top - 0.01):.3f} "
                      f"{mz:.3f} {sd / 2:.4f} pec")
        target["metal_striker"] = dict(diameter=sd, height=sh)

    os.makedirs(a.out_dir, exist_ok=True)
    python = os.environ.get("GPRMAX_PYTHON", sys.executable)
    work = tempfile.mkdtemp(prefix=a.name + "_", dir=a.out_dir)
    seconds = 0.0
    try:
        for k in range(a.lines):
            z = snap(a.y_first + k * a.dy)
            stem = f"{a.name}_line{k:02d}"
            text = "\n".join([f"#title: {a.name} line {k} (y = {z:.3f} m)"] + common + [
                f"#hertzian_dipole: z {tx0:.3f} {antenna_y:.3f} {z:.3f} rk",
                f"#rx: {rx0:.3f} {antenna_y:.3f} {z:.3f} rx1 Ez",
                f"#src_steps: {a.dx:.3f} 0 0",
                f"#rx_steps: {a.dx:.3f} 0 0",
            ]) + "\n"
            in_path = os.path.join(work, stem + ".in")
            with open(in_path, "w") as f:
                f.write(text)
            if not a.dry_run:
                start = time.time()
                subprocess.run([python, "-m", "gprMax", stem + ".in", "-n", str(a.traces), "--hide-progress-bars"],
                               cwd=work, check=True, stdout=subprocess.DEVNULL)
                subprocess.run([python, "-m", "gprMax.toolboxes.Utilities.outputfiles_merge",
                                os.path.join(work, stem), "--remove-files"], check=True, stdout=subprocess.DEVNULL)
                seconds += time.time() - start
                shutil.move(os.path.join(work, stem + "_merged.h5"), os.path.join(a.out_dir, stem + "_merged.out"))
                print(f"line {k}: y = {z:.3f} m done ({seconds:.0f} s so far)", flush=True)
            shutil.move(in_path, os.path.join(a.out_dir, stem + ".in"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    velocity = C0 / math.sqrt(a.soil_er)
    truth = {
        "scenario": a.name,
        "generator": "scripts/make-landmine-cube.py " + " ".join(sys.argv[1:]),
        "dimensions": 3,
        "coords": "x along the lines [m]; y across the lines [m] (gprMax z); depth below the ground surface [m]",
        "waveform": {"type": "ricker", "centre_frequency_Hz": a.frequency, "peak_time_s": math.sqrt(2) / a.frequency},
        "survey": {"lines": a.lines, "line_y_first": snap(a.y_first), "dy": a.dy, "traces": a.traces,
                   "trace_midpoint_x_first": round((tx0 + rx0) / 2, 6), "dx": a.dx, "antenna_height": a.height,
                   "tx_rx_offset": round(rx0 - tx0, 6), "offset_direction": "x (along the lines)",
                   "line_files": [f"{a.name}_line{k:02d}_merged.out" for k in range(a.lines)]},
        "soil": {"er": a.soil_er, "sigma_S_per_m": a.soil_sigma, "velocity_m_per_ns": round(velocity * 1e-9, 6),
                 "rough_surface": False},
        "objects": [target] + stones,
    }
    if not a.dry_run:
        version = subprocess.run([python, "-c", "import gprMax; print(gprMax.__version__)"], capture_output=True,
                                 text=True).stdout.strip() or "unknown"
        truth["runtime"] = {"simulate_and_merge_wall_s": round(seconds, 1), "gprMax": version}
    with open(os.path.join(a.out_dir, a.name + "_truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    print(f"wrote {a.lines} lines and {a.name}_truth.json to {a.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
