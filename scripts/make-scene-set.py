#!/usr/bin/env python3
"""Simulates the landmine scene set (scenes/scene_set.json) with gprMax, one
scene at a time, skipping scenes whose output already exists (so an
interrupted run resumes). Each scene's merged output is repacked with gzip
(h5repack; still a gprMax file to every HDF5 reader) to keep the shipped
files small.

    GPRMAX_PYTHON=/path/to/python-with-gprMax python3 scripts/make-scene-set.py OUT_DIR [NAME ...]
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def arguments(scene):
    args = []
    for key, value in scene.items():
        if key in ("name", "role", "twin_of"):
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, list):
            args += [flag] + [str(v) for v in value]
        else:
            args += [flag, str(value)]
    return args


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    out = sys.argv[1]
    wanted = set(sys.argv[2:])
    scenes = json.load(open(os.path.join(HERE, "..", "scenes", "scene_set.json")))["scenes"]
    os.makedirs(out, exist_ok=True)
    for scene in scenes:
        name = scene["name"]
        if wanted and name not in wanted:
            continue
        target = os.path.join(out, name + "_merged.out")
        if os.path.exists(target):
            print(f"{name}: already made, skipped", flush=True)
            continue
        cmd = [sys.executable, os.path.join(HERE, "make-landmine-scene.py"), name, out] + arguments(scene)
        subprocess.run(cmd, check=True)
        truth_path = os.path.join(out, name + "_truth.json")
        truth = json.load(open(truth_path))
        truth["role"] = scene["role"]
        if "twin_of" in scene:
            truth["twin_of"] = scene["twin_of"]
        with open(truth_path + ".tmp", "w") as f:
            json.dump(truth, f, indent=1)
        os.replace(truth_path + ".tmp", truth_path)
        if shutil.which("h5repack"):
            packed = target + ".packed"
            subprocess.run(["h5repack", "-f", "SHUF", "-f", "GZIP=9", target, packed], check=True)
            os.replace(packed, target)
        print(f"{name}: done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
