#!/usr/bin/env python3
"""Write, simulate and merge a 2-D gprMax landmine scene, with its truth file.

The scene follows the geometry of the project's shared landmine scenes
(shared/data/MANIFEST.md): a 0.90 x 0.45 m domain of 2 mm cells, ground at
y = 0.35 m, a Ricker 1.5 GHz line source and receiver 3 cm above the ground
and 4 cm apart, 70 traces 1 cm apart. What varies is the soil, the surface
roughness, the mine (kind, position, depth), stones and one clutter object,
so the recipe can be tried on scenes it was not tuned on.

    python3 scripts/make-landmine-scene.py NAME OUT_DIR [--soil-er 9 ...]
    python3 scripts/make-landmine-scene.py --list-presets

gprMax (pip package `gprMax`, 4.x) must be importable by the Python given in
GPRMAX_PYTHON (default: this interpreter). Writes OUT_DIR/NAME.in,
OUT_DIR/NAME_merged.out (the merged B-scan, renamed from gprMax's .h5) and
OUT_DIR/NAME_truth.json; the per-trace files are removed. With --dry-run only
the .in and truth files are written.
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
CELL = 0.002
DOMAIN = (0.900, 0.450)
Y_GROUND = 0.350
ANTENNA_HEIGHT = 0.030
TX_X0, RX_X0, STEP = 0.080, 0.120, 0.010
FREQUENCY = 1.5e9

# Mines as 2-D prisms: (width, height, casing wall, casing er, fill er,
# striker (w, h) or None). Sizes from open mine-action references: PMN
# 112 mm x 56 mm, PMA-2 68 mm x 60 mm (body), Type 72 78 mm x 40 mm,
# VS-50 90 mm x 45 mm.
MINES = {
    "pmn": (0.112, 0.056, 0.004, 3.0, 2.9, (0.004, 0.008)),
    # PMA-1 140 x 30 mm (a box: its 2-D cross-section), TS-50 90 x 45 mm,
    # M14 56 x 40 mm (minimum-metal: a tiny striker).
    "pma1": (0.140, 0.030, 0.004, 3.2, 2.9, None),
    "ts50": (0.090, 0.044, 0.004, 3.1, 3.0, (0.002, 0.004)),
    "m14": (0.056, 0.040, 0.004, 3.0, 2.9, (0.002, 0.002)),
    "pma2": (0.068, 0.060, 0.004, 3.2, 2.9, (0.002, 0.004)),
    "type72": (0.078, 0.040, 0.004, 3.0, 2.9, (0.002, 0.004)),
    "vs50": (0.090, 0.045, 0.004, 3.1, 3.0, None),
}

PRESETS = {
    # name: keyword overrides of the command-line defaults
    "pma2_loam_8cm": dict(mine="pma2", depth=0.08, mine_x=0.40, soil_er=9.0, soil_sigma=0.005,
                          rough=True, stones=6, clutter="metal_fragment", seed=3),
    "type72_sand_3cm": dict(mine="type72", depth=0.03, mine_x=0.52, soil_er=5.0, soil_sigma=0.002,
                            rough=False, stones=0, clutter="stone", seed=4),
    "pmn_silt_10cm": dict(mine="pmn", depth=0.10, mine_x=0.47, soil_er=16.0, soil_sigma=0.01,
                          rough=True, stones=8, clutter="root", seed=5),
    "vs50_gravel_6cm": dict(mine="vs50", depth=0.06, mine_x=0.36, soil_er=6.5, soil_sigma=0.003,
                            rough=True, stones=14, clutter="metal_fragment", seed=6),
    "pmn_loam_rough": dict(mine="pmn", depth=0.05, mine_x=0.45, soil_er=8.0, soil_sigma=0.005,
                           rough=True, stones=5, clutter="stone", seed=11),
}


def snap(v):
    """Round to the 2 mm grid, so the truth is what gprMax builds."""
    return round(round(v / CELL) * CELL, 6)


def peplinski_permittivity(sand, clay, bulk_density, sand_density, water, frequency):
    """Real relative permittivity of a Peplinski soil (Peplinski, Ulaby and
    Dobson 1995, the 0.3-1.3 GHz form), for the truth file's velocity: gprMax
    builds its soil materials from the same model (fitted as Debye poles)."""
    alpha = 0.65
    eps_s = (1.01 + 0.44 * sand_density) ** 2 - 0.062
    beta = 1.2748 - 0.519 * sand - 0.152 * clay
    tau = 9.23e-12  # s, relaxation time of free water
    eps_w = 4.9 + (80.1 - 4.9) / (1 + (2 * math.pi * frequency * tau) ** 2)
    em = (1 + bulk_density / sand_density * (eps_s ** alpha - 1) + water ** beta * eps_w ** alpha - water) ** (1 / alpha)
    return 1.15 * em - 0.68


def build_scene(a):
    rng = random.Random(a.seed)
    ANTENNA_Y = snap(Y_GROUND + max(a.antenna_height, CELL))
    width, height, wall, casing_er, fill_er, striker = MINES[a.mine] if a.mine != "none" else MINES["pmn"]
    y_top = snap(Y_GROUND - a.depth)
    y_bottom = snap(y_top - height)
    x_left = snap(a.mine_x - width / 2)
    x_right = snap(a.mine_x + width / 2)
    lines = [
        f"#title: {a.title}",
        f"#domain: {DOMAIN[0]:.3f} {DOMAIN[1]:.3f} {CELL:.3f}",
        f"#dx_dy_dz: {CELL:.3f} {CELL:.3f} {CELL:.3f}",
        f"#time_window: {a.time_window:g}",
        "",
        f"#waveform: ricker 1 {FREQUENCY:g} rk15",
        f"#hertzian_dipole: z {TX_X0:.3f} {ANTENNA_Y:.3f} 0 rk15",
        f"#rx: {RX_X0:.3f} {ANTENNA_Y:.3f} 0 rx1 Ez",
        f"#src_steps: {STEP:.3f} 0 0",
        f"#rx_steps: {STEP:.3f} 0 0",
        "",
        f"#material: {a.soil_er:g} {a.soil_sigma:g} 1 0 soil",
        f"#material: {casing_er:g} 0 1 0 mine_casing",
        f"#material: {fill_er:g} 0 1 0 explosive",
        "#material: 6 0.001 1 0 stone",
        "#material: 15 0.02 1 0 wet_root",
        "",
    ]
    soil_model, n_soil = "soil", 1
    if a.peplinski:
        sand, clay, rho_b, rho_s, w_lo, w_hi = a.peplinski
        lines.append(f"#soil_peplinski: {sand:g} {clay:g} {rho_b:g} {rho_s:g} {w_lo:g} {w_hi:g} peplinski_soil")
        soil_model, n_soil = "peplinski_soil", 20
    if a.rough or a.peplinski:
        lines += [f"#fractal_box: 0 0 0 {DOMAIN[0]:.3f} {Y_GROUND:.3f} {CELL:.3f} 1.5 1 1 1 {n_soil} {soil_model} "
                  f"soil_box {a.seed + 20}"]
    if a.rough:
        lines += [
                  f"#add_surface_roughness: 0 {Y_GROUND:.3f} 0 {DOMAIN[0]:.3f} {Y_GROUND:.3f} {CELL:.3f} 1.0 1 1 "
                  f"{Y_GROUND - 0.01:.3f} {Y_GROUND + 0.01:.3f} soil_box {a.seed}"]
    if not (a.rough or a.peplinski):
        lines.append(f"#box: 0 0 0 {DOMAIN[0]:.3f} {Y_GROUND:.3f} {CELL:.3f} soil")

    clutter = []
    # Stones: small discs in the soil, kept clear of the mine by 2 cm.
    tries = 0
    while len(clutter) < a.stones and tries < 1000:
        tries += 1
        r = rng.choice([0.006, 0.008, 0.010])
        x = snap(rng.uniform(0.12, 0.80))
        y = snap(rng.uniform(0.12, Y_GROUND - 0.03))
        if x_left - 0.02 - r < x < x_right + 0.02 + r and y_bottom - 0.02 - r < y < y_top + 0.02 + r:
            continue
        clutter.append(dict(id=f"stone{len(clutter) + 1:02d}", kind="stone", x_centre=x, y_centre=y, radius=r,
                            depth_centre=round(Y_GROUND - y, 6), depth_top=round(Y_GROUND - y - r, 6),
                            material="stone", er=6.0, sigma=0.001))
    # One clutter object a deminer would dig for nothing, away from the mine.
    side = 0.20 if a.mine_x > 0.45 else 0.70
    lines_obj = []
    item = None
    if a.clutter == "none":
        pass
    elif a.clutter == "metal_fragment":
        x, y = snap(side), snap(Y_GROUND - 0.04)
        item = dict(id="fragment", kind="metal fragment (PEC, 12 mm x 2 mm)", x_left=snap(x - 0.006),
                    x_right=snap(x + 0.006), y_top=y, y_bottom=snap(y - 0.002), material="pec")
        lines_obj = [f"#box: {item['x_left']:.3f} {item['y_bottom']:.3f} 0 {item['x_right']:.3f} {item['y_top']:.3f} "
                     f"{CELL:.3f} pec"]
    elif a.clutter == "root":
        x, y = snap(side), snap(Y_GROUND - 0.07)
        item = dict(id="root", kind="wet root cross-section (er 15, radius 8 mm)", x_centre=x, y_centre=y,
                    radius=0.008, material="wet_root", er=15.0, sigma=0.02)
        lines_obj = [f"#cylinder: {x:.3f} {y:.3f} 0 {x:.3f} {y:.3f} {CELL:.3f} 0.008 wet_root"]
    else:
        x, y = snap(side), snap(Y_GROUND - 0.06)
        item = dict(id="big_stone", kind="stone (er 6, radius 15 mm)", x_centre=x, y_centre=y, radius=0.015,
                    material="stone", er=6.0, sigma=0.001)
        lines_obj = [f"#cylinder: {x:.3f} {y:.3f} 0 {x:.3f} {y:.3f} {CELL:.3f} 0.015 stone"]
    if item is not None:
        if "y_centre" in item:
            item["depth_centre"] = round(Y_GROUND - item["y_centre"], 6)
            item["depth_top"] = round(Y_GROUND - item["y_centre"] - item["radius"], 6)
        else:
            item["depth_top"] = round(Y_GROUND - item["y_top"], 6)
            item["depth_bottom"] = round(Y_GROUND - item["y_bottom"], 6)
        clutter.append(item)
    if a.metal_object is not None:
        # A strong metal object beside the mine (a PEC plate 40 x 4 mm, e.g. a
        # can lid or shell fragment), which must not mask the plastic mine.
        mx_ = snap(a.mine_x + a.metal_object)
        my_ = snap(Y_GROUND - a.metal_depth)
        metal = dict(id="metal_object", kind="metal debris (PEC plate 40 mm x 4 mm)", x_left=snap(mx_ - 0.02),
                     x_right=snap(mx_ + 0.02), y_top=my_, y_bottom=snap(my_ - 0.004), material="pec",
                     depth_top=round(Y_GROUND - my_, 6), depth_bottom=round(Y_GROUND - snap(my_ - 0.004), 6))
        lines_obj.append(f"#box: {metal['x_left']:.3f} {metal['y_bottom']:.3f} 0 {metal['x_right']:.3f} "
                         f"{metal['y_top']:.3f} {CELL:.3f} pec")
        clutter.append(metal)

    for c in clutter:
        if c["kind"] == "stone":
            lines.append(f"#cylinder: {c['x_centre']:.3f} {c['y_centre']:.3f} 0 {c['x_centre']:.3f} "
                         f"{c['y_centre']:.3f} {CELL:.3f} {c['radius']:.3f} stone")
    lines += lines_obj
    targets = []
    if a.mine != "none":
        targets.append(add_mine(a, lines, width, height, wall, striker, x_left, x_right, y_top, y_bottom))
    if a.peplinski:
        eps = [peplinski_permittivity(a.peplinski[0], a.peplinski[1], a.peplinski[2], a.peplinski[3], w, FREQUENCY)
               for w in (a.peplinski[4], 0.5 * (a.peplinski[4] + a.peplinski[5]), a.peplinski[5])]
        soil_er = eps[1]
    else:
        eps, soil_er = None, a.soil_er
    return lines, clutter, targets, ANTENNA_Y, soil_er, eps


def add_mine(a, lines, width, height, wall, striker, x_left, x_right, y_top, y_bottom):
    """The mine: casing box, explosive fill inside it, optional metal striker."""
    lines.append(f"#box: {x_left:.3f} {y_bottom:.3f} 0 {x_right:.3f} {y_top:.3f} {CELL:.3f} mine_casing")
    lines.append(f"#box: {x_left + wall:.3f} {y_bottom + wall:.3f} 0 {x_right - wall:.3f} {y_top - wall:.3f} "
                 f"{CELL:.3f} explosive")
    target = dict(id=a.mine, kind=f"{a.mine} plastic AP mine (2D prism)", x_centre=round((x_left + x_right) / 2, 6),
                  width=round(x_right - x_left, 6), height=round(y_top - y_bottom, 6), x_left=x_left,
                  x_right=x_right, y_top=y_top, y_bottom=y_bottom, depth_top=round(Y_GROUND - y_top, 6),
                  depth_bottom=round(Y_GROUND - y_bottom, 6))
    if striker:
        sw, sh = striker
        sx = snap((x_left + x_right) / 2)
        sy_top = snap(y_top - min(0.012, height / 3))
        lines.append(f"#box: {sx - sw / 2:.3f} {sy_top - sh:.3f} 0 {sx + sw / 2:.3f} {sy_top:.3f} {CELL:.3f} pec")
        target["metal_striker"] = dict(box=[round(sx - sw / 2, 6), round(sy_top - sh, 6), round(sx + sw / 2, 6),
                                            sy_top])
    return target


def scene_truth(a, clutter, targets, antenna_y, soil_er, eps_range):
    velocity = C0 / math.sqrt(soil_er)
    truth = {
        "scenario": a.name,
        "title": a.title,
        "generator": "scripts/make-landmine-scene.py " + " ".join(sys.argv[1:]),
        "coords": "x along scan [m]; y vertical UP [m], y=0 at domain bottom; depth = y_ground - y",
        "domain": [DOMAIN[0], DOMAIN[1], CELL],
        "y_ground_nominal": Y_GROUND,
        "waveform": {"type": "ricker", "centre_frequency_Hz": FREQUENCY,
                     "peak_time_s": math.sqrt(2) / FREQUENCY},
        "antenna": {"y": antenna_y, "height_above_nominal_ground": round(antenna_y - Y_GROUND, 6),
                    "tx_x_first": TX_X0, "rx_x_first": RX_X0, "tx_rx_offset": round(RX_X0 - TX_X0, 6),
                    "trace_step": STEP, "n_traces": a.traces,
                    "trace_midpoint_x_formula": f"x_mid[i] = {(TX_X0 + RX_X0) / 2:.3f} + {STEP:.3f}*i"},
        "soil": {"er": round(soil_er, 4), "sigma_S_per_m": a.soil_sigma, "velocity_m_per_ns": round(velocity * 1e-9, 6),
                 "rough_surface": bool(a.rough)},
        "targets": targets,
        "clutter": clutter,
        "objects": [scored_object(t, "mine") for t in targets] + [scored_object(c, None) for c in clutter],
    }
    if a.peplinski:
        truth["soil"]["model"] = dict(zip(["sand_fraction", "clay_fraction", "bulk_density", "sand_density",
                                           "water_fraction_lower", "water_fraction_upper"], a.peplinski))
        truth["soil"]["er_range"] = [round(eps_range[0], 3), round(eps_range[2], 3)]
        truth["soil"]["note"] = ("heterogeneous Peplinski soil: er and velocity at the middle water fraction "
                                 "(Peplinski, Ulaby and Dobson 1995); gprMax draws 20 materials across the range")
    return truth


def scored_object(obj, kind):
    """An object of the scoring truth (docs/DETECTION.md): kind mine, metal debris,
    stone or root, and its 2-D geometry (a box or a circle, x and depth in m)."""
    k = kind or ("metal debris" if obj.get("material") == "pec" else
                 "root" if "root" in obj.get("material", "") else "stone")
    out = {"id": obj["id"], "kind": k}
    if "radius" in obj:
        out.update(shape="circle", x_centre=obj["x_centre"], depth_centre=obj["depth_centre"], radius=obj["radius"])
    else:
        out.update(shape="box", x_left=obj["x_left"], x_right=obj["x_right"], depth_top=obj["depth_top"],
                   depth_bottom=obj["depth_bottom"])
    return out


def run_gprmax(in_path, traces, python):
    start = time.time()
    cmd = [python, "-m", "gprMax", os.path.basename(in_path), "-n", str(traces), "--hide-progress-bars"]
    subprocess.run(cmd, cwd=os.path.dirname(in_path), check=True, stdout=subprocess.DEVNULL)
    stem = os.path.splitext(in_path)[0]
    merge = [python, "-m", "gprMax.toolboxes.Utilities.outputfiles_merge", stem, "--remove-files"]
    subprocess.run(merge, check=True, stdout=subprocess.DEVNULL)
    return time.time() - start


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", nargs="?")
    p.add_argument("out_dir", nargs="?")
    p.add_argument("--preset", choices=sorted(PRESETS), help="a named scene (overrides the options below)")
    p.add_argument("--list-presets", action="store_true")
    p.add_argument("--mine", choices=sorted(MINES) + ["none"], default="pmn")
    p.add_argument("--depth", type=float, default=0.05, help="depth of the mine's top below the ground [m]")
    p.add_argument("--mine-x", type=float, default=0.45, help="x of the mine's centre [m]")
    p.add_argument("--soil-er", type=float, default=9.0)
    p.add_argument("--soil-sigma", type=float, default=0.005, help="S/m")
    p.add_argument("--rough", action="store_true", help="fractal soil and a rough surface (+-1 cm)")
    p.add_argument("--stones", type=int, default=0)
    p.add_argument("--clutter", choices=["stone", "root", "metal_fragment", "none"], default="stone")
    p.add_argument("--antenna-height", type=float, default=ANTENNA_HEIGHT, help="above the nominal ground [m]")
    p.add_argument("--peplinski", type=float, nargs=6, metavar=("SAND", "CLAY", "RHO_B", "RHO_S", "W_LO", "W_HI"),
                   help="heterogeneous Peplinski soil (fractions, densities g/cm3, water volume fractions)")
    p.add_argument("--metal-object", type=float, default=None, help="a metal plate this far (m) beside the mine")
    p.add_argument("--metal-depth", type=float, default=0.03, help="depth of the metal plate's top [m]")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--traces", type=int, default=70)
    p.add_argument("--time-window", type=float, default=8e-9)
    p.add_argument("--dry-run", action="store_true", help="write the .in and truth files only")
    a = p.parse_args()
    if a.list_presets:
        for k, v in PRESETS.items():
            print(k, v)
        return 0
    if not a.name or not a.out_dir:
        p.error("NAME and OUT_DIR are required")
    if a.preset:
        for k, v in PRESETS[a.preset].items():
            setattr(a, k, v)
    if not (0.0 < a.depth <= 0.25) or a.soil_er < 1.0 or not (0.15 <= a.mine_x <= 0.75):
        p.error("depth must be in (0, 0.25] m, soil-er >= 1, mine-x in [0.15, 0.75] m")
    if not (0.0 <= a.antenna_height <= 0.1 - 1e-9 + 1e-9):
        p.error("antenna-height must be in [0, 0.10] m")
    soil = "Peplinski soil" if a.peplinski else f"soil er {a.soil_er:g} sigma {a.soil_sigma:g}"
    mine = "no mine" if a.mine == "none" else f"{a.mine} mine, top {a.depth * 100:.0f} cm deep at x = {a.mine_x:.2f} m"
    a.title = (f"{mine}, {soil}{', rough surface' if a.rough else ''}, {a.stones} stones, {a.clutter}, antenna "
               f"{a.antenna_height * 100:.0f} cm")
    os.makedirs(a.out_dir, exist_ok=True)
    lines, clutter, targets, antenna_y, soil_er, eps = build_scene(a)
    text = "\n".join(lines) + "\n"
    truth = scene_truth(a, clutter, targets, antenna_y, soil_er, eps)
    # Simulate in a scratch folder so a failed run leaves nothing half-written.
    work = tempfile.mkdtemp(prefix=a.name + "_", dir=a.out_dir)
    try:
        in_path = os.path.join(work, a.name + ".in")
        with open(in_path, "w") as f:
            f.write(text)
        if not a.dry_run:
            seconds = run_gprmax(in_path, a.traces, os.environ.get("GPRMAX_PYTHON", sys.executable))
            python = os.environ.get("GPRMAX_PYTHON", sys.executable)
            version = subprocess.run([python, "-c", "import gprMax; print(gprMax.__version__)"],
                                     capture_output=True, text=True).stdout.strip() or "unknown"
            truth["runtime"] = {"simulate_and_merge_wall_s": round(seconds, 1), "gprMax": version}
            shutil.move(os.path.join(work, a.name + "_merged.h5"), os.path.join(a.out_dir, a.name + "_merged.out"))
        shutil.move(in_path, os.path.join(a.out_dir, a.name + ".in"))
        with open(os.path.join(a.out_dir, a.name + "_truth.json"), "w") as f:
            json.dump(truth, f, indent=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {a.out_dir}/{a.name}.in, _truth.json" + ("" if a.dry_run else ", _merged.out"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
