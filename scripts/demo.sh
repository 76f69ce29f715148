#!/usr/bin/env bash
# The main job on the shipped sample: read the gprMax landmine B-scan in data/,
# print its summary, write it in gprproc's HDF5 layout and draw it as a PNG.
# Results go to out/ (override with GPRPROC_OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh -DGPRPROC_BUILD_TESTS=OFF >/dev/null
OUT=${GPRPROC_OUT:-out}
mkdir -p "$OUT"
SAMPLE=data/pmn_wet_clay_rough_merged.out
GPRPROC=build/src/cli/gprproc

echo "== gprproc info $SAMPLE"
"$GPRPROC" info "$SAMPLE" --dx 1cm
echo "== gprproc convert"
"$GPRPROC" convert "$SAMPLE" --dx 1cm --x0 10cm -o "$OUT/sample.h5" --overwrite
"$GPRPROC" info "$OUT/sample.h5"
echo "== gprproc plot"
"$GPRPROC" plot "$OUT/sample.h5" -o "$OUT/sample_raw.png" --title "PMN mine in wet rough clay: raw Ez"
echo "demo done: $OUT/sample.h5, $OUT/sample_raw.png"
