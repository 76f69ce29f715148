#!/usr/bin/env bash
# Acceptance of the landmine recipe on gprMax landmine scenes with known
# truth: `gprproc process` must put a detection within 3 cm of each scene's
# mine body (its box from SCENE_truth.json; inside counts as 0), and the
# detections elsewhere (false alarms) are reported, for scenes without a mine
# too. Scenes: the shipped sample in data/ (always), the project's shared
# scenes (shared/data/landmines, MANIFEST.md; skipped with a note when absent)
# and every *_merged.out in the folders of GPRPROC_EXTRA_SCENES (colon
# separated), e.g. scenes made with scripts/make-landmine-scene.py.
# Usage: test_landmines.sh GPRPROC RECIPE WORKDIR [SHARED_DATA_DIR]
set -u
GPRPROC=$1; RECIPE=$2; WORK=$3
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${4:-${GPRPROC_SHARED_DATA:-$(cd "$HERE/../../.." && pwd)/shared/data}}
mkdir -p "$WORK"

scenes=("$HERE/../../data/pmn_loam_rough_merged.out")
if [ -d "$SHARED/landmines" ]; then
  for s in pmn_dry_sand pmn_wet_clay_rough empty_ground pmn_wet_clay_rough_empty; do
    scenes+=("$SHARED/landmines/${s}_merged.out")
  done
else
  echo "note: shared landmine scenes not found in $SHARED/landmines (set GPRPROC_SHARED_DATA); only the shipped sample runs"
fi
IFS=: read -r -a extra <<<"${GPRPROC_EXTRA_SCENES:-}"
for dir in "${extra[@]}"; do
  [ -n "$dir" ] && for f in "$dir"/*_merged.out; do [ -e "$f" ] && scenes+=("$f"); done
done

# The mine's box from a truth file: "x_left x_right depth_top depth_bottom",
# or "none" for a scene without a mine.
mine_box() {
  python3 - "$1" <<'EOF'
import json, sys
targets = json.load(open(sys.argv[1])).get("targets") or []
t = targets[0] if targets else None
print("none" if t is None else f"{t['x_left']} {t['x_right']} {t['depth_top']} {t['depth_bottom']}")
EOF
}

failed=0; mines=0
for path in "${scenes[@]}"; do
  scene=$(basename "$path" _merged.out)
  truth="${path%_merged.out}_truth.json"
  if [ ! -f "$truth" ]; then echo "FAIL $scene: no truth file $truth"; failed=$((failed+1)); continue; fi
  box=$(mine_box "$truth") || { echo "FAIL $scene: cannot read $truth"; failed=$((failed+1)); continue; }
  out="$WORK/$scene.h5"
  if ! "$GPRPROC" process "$path" -r "$RECIPE" -o "$out" --overwrite --no-pictures > "$WORK/$scene.log" 2>&1; then
    echo "FAIL $scene: process failed"; sed 's/^/    /' "$WORK/$scene.log"; failed=$((failed+1)); continue
  fi
  velocity=$(grep -E "^velocity scan|migrating at" "$WORK/$scene.log" | tail -1 | grep -oE "[0-9]+\.[0-9]+ m/ns" | head -1)
  if [ "$box" = none ]; then
    n=$(awk -F, 'NR > 1' "$WORK/${scene}_targets.csv" | wc -l)
    echo "info $scene (no mine): $n false alarm(s), migrated at ${velocity:-?}"
  else
    mines=$((mines+1))
    read -r xl xr zt zb <<<"$box"
    # Distance of each detection to the mine body; within 3 cm is a hit.
    read -r hits false_alarms nearest <<<"$(awk -F, -v xl="$xl" -v xr="$xr" -v zt="$zt" -v zb="$zb" 'NR > 1 {
        dx = ($2 < xl) ? xl - $2 : (($2 > xr) ? $2 - xr : 0);
        dz = ($3 < zt) ? zt - $3 : (($3 > zb) ? $3 - zb : 0);
        d = sqrt(dx * dx + dz * dz); if (best == "" || d < best) best = d;
        if (d <= 0.03) h++; else f++ }
        END { printf "%d %d %s\n", h + 0, f + 0, (best == "" ? "none" : sprintf("%.1fmm", best * 1000)) }' \
        "$WORK/${scene}_targets.csv")"
    what="mine x $xl-$xr m, depth $zt-$zb m; nearest detection $nearest from its body, $false_alarms false alarm(s), migrated at ${velocity:-?}"
    if [ "$hits" -ge 1 ]; then echo "ok   $scene: $what"
    else echo "FAIL $scene: no detection within 3 cm: $what"; sed 's/^/    /' "$WORK/$scene.log"; failed=$((failed+1)); fi
  fi
  grep -E "^ +[0-9]+ +[0-9.]+ +[0-9.]+" "$WORK/$scene.log" | sed 's/^/    /'
done
echo "$mines scene(s) with a mine, $failed failure(s)"
[ "$failed" -eq 0 ]
