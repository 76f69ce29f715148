"""The issues' GPU goals checked against a gprproc-bench run (its JSON files).

Reads every bench_*.json in a results folder (what scripts/gpu-check.sh
leaves) and prints a markdown table: each goal, the number measured in that
run, and whether it is met. It judges nothing that was not measured: a
missing row says "not measured". The goals are stated for an H100; the table
names the device the numbers came from.

    python3 benchmarks/goals.py RESULTS [--markdown goals.md]
"""
import argparse
import glob
import json
import os
import sys

# Memory-bound operations held to >= 70% of the device-to-device copy
# bandwidth measured in the same run, on the >= 1-2 GB batch (issues 5, 6).
MEMORY_BOUND = ["remove_dc", "dewow", "time_gain", "apply_gain", "remove_gain", "agc", "background_mean",
                "background_moving_mean"]
# The same kernels without trace staging (GPRPROC_CUDA_STAGE_TRACES=0): an
# experiment; where one beats its staged row, unstaged should become the default.
UNSTAGED = ["remove_dc_unstaged", "dewow_unstaged", "agc_unstaged"]
BATCH = "1024x524288"
# The same 2 GiB as a stack of 128 field B-scans (the stack level of the
# background API): judged beside the batch, never instead of it.
STACK = "128x1024x4096"
STACK_OPS = ["background_mean", "background_moving_mean"]
FIELD, LONG = "1024x4096", "1024x65536"


def load(folder):
    rows, devices = [], set()
    for path in sorted(glob.glob(os.path.join(folder, "bench_*.json"))):
        with open(path) as f:
            data = json.load(f)
        for r in data.get("results", []):
            if "device-resident" in r.get("note", ""):
                rows.append(r)
                devices.add(r.get("device", "?"))
    return rows, devices


def find(rows, name, size, note_contains=""):
    for r in rows:
        if r["name"] == name and r["size"] == size and note_contains in r["note"]:
            return r
    return None


def goals(rows):
    out = []  # (goal, measured, status)
    for name, size in [(n, BATCH) for n in MEMORY_BOUND + UNSTAGED] + [(n, STACK) for n in STACK_OPS]:
        r = find(rows, name, size)
        if r is None:
            out.append((f"{name} >= 70% of copy bandwidth ({size})", "not measured", "-"))
            continue
        fraction = r.get("fraction_of_copy", 0.0)
        out.append((f"{name} >= 70% of copy bandwidth ({size})", f"{100 * fraction:.1f}% ({1e3 * r['seconds']:.3f} ms)",
                    "met" if fraction >= 0.70 else "not met"))
    for size in (FIELD, LONG, STACK):
        median = find(rows, "background_moving_median", size)
        mean = find(rows, "background_moving_mean", size)
        if median is None or mean is None:
            out.append((f"moving median <= 4x moving mean ({size})", "not measured", "-"))
        else:
            ratio = median["seconds"] / mean["seconds"]
            out.append((f"moving median <= 4x moving mean ({size})",
                        f"{ratio:.1f}x ({1e3 * median['seconds']:.3f} / {1e3 * mean['seconds']:.3f} ms)",
                        "met" if ratio <= 4.0 else "not met"))
    for name in ("kirchhoff", "kirchhoff_global_reads"):
        r = find(rows, name, FIELD, "aperture 256 traces")
        label = f"{name} >= 400 G contributions/s (aperture 256, {FIELD})"
        if r is None:
            out.append((label, "not measured", "-"))
        else:
            rate = r["work"] / r["seconds"]
            out.append((label, f"{rate / 1e9:.0f} G/s", "met" if rate >= 400e9 else "not met"))
    for size, label in (("2048x2048", "Stolt, FFT 4096 x 4096 (2048 x 2048 padded 2 x 2) < 2 ms"),
                        ("4096x4096", "Stolt, 4096 x 4096 padded to 8192 x 8192 < 2 ms (the stricter reading)")):
        r = find(rows, "stolt", size)
        out.append((label, "not measured" if r is None else f"{1e3 * r['seconds']:.3f} ms",
                    "-" if r is None else ("met" if r["seconds"] < 2e-3 else "not met")))
    # Experiments the next run decides (no goal: the faster variant should become the default).
    for name in ("phase_shift", "phase_shift_rows4", "phase_shift_rows1", "dip_moveout", "time_to_depth",
                 "pick_first_breaks", "shift_traces"):
        r = find(rows, name, FIELD)
        out.append((f"{name} ({FIELD}), for comparison", "not measured" if r is None else
                    f"{1e3 * r['seconds']:.3f} ms", "info"))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="folder with gprproc-bench JSON files (bench_*.json)")
    parser.add_argument("--markdown", help="also write the table here")
    args = parser.parse_args(argv)
    rows, devices = load(args.results)
    if not rows:
        print(f"no device-resident benchmark rows in {args.results}/bench_*.json: nothing to judge")
        return 1
    lines = [f"Goals against the run in {args.results} (device: {', '.join(sorted(devices))}; "
             "the goals are stated for an H100)", "", "| goal | measured | status |", "|---|---|---|"]
    lines += [f"| {g} | {m} | {s} |" for g, m, s in goals(rows)]
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
