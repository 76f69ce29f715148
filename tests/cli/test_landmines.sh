#!/usr/bin/env bash
# Acceptance of the landmine recipe on the project's gprMax scenes
# (shared/data/landmines, MANIFEST.md): `gprproc process` must put a detection
# within 3 cm of the mine body (x 0.394-0.506 m, depth 0.050-0.106 m; inside
# counts as 0) in both pmn_* scenes, and reports the detections elsewhere
# (false alarms) for all four scenes, the empty ones included.
# Usage: test_landmines.sh GPRPROC RECIPE WORKDIR [SHARED_DATA_DIR]
set -u
GPRPROC=$1; RECIPE=$2; WORK=$3
SHARED=${4:-${GPRPROC_SHARED_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}}
if [ ! -d "$SHARED/landmines" ]; then
  echo "SKIPPED: landmine scenes not found in $SHARED/landmines (set GPRPROC_SHARED_DATA)"; exit 0
fi
mkdir -p "$WORK"
failed=0
for scene in pmn_dry_sand pmn_wet_clay_rough empty_ground pmn_wet_clay_rough_empty; do
  out="$WORK/$scene.h5"
  if ! "$GPRPROC" process "$SHARED/landmines/${scene}_merged.out" -r "$RECIPE" -o "$out" --overwrite --quiet \
       --no-pictures > "$WORK/$scene.log" 2>&1; then
    echo "FAIL $scene: process failed"; sed 's/^/    /' "$WORK/$scene.log"; failed=$((failed+1)); continue
  fi
  # Distance of each detection to the mine body; within 3 cm is a hit.
  read -r hits false_alarms nearest <<<"$(awk -F, 'NR > 1 {
      dx = ($2 < 0.394) ? 0.394 - $2 : (($2 > 0.506) ? $2 - 0.506 : 0);
      dz = ($3 < 0.050) ? 0.050 - $3 : (($3 > 0.106) ? $3 - 0.106 : 0);
      d = sqrt(dx * dx + dz * dz); if (best == "" || d < best) best = d;
      if (d <= 0.03) h++; else f++ }
      END { printf "%d %d %s\n", h + 0, f + 0, (best == "" ? "none" : sprintf("%.1fmm", best * 1000)) }' \
      "$WORK/${scene}_targets.csv")"
  case $scene in
    *empty*) echo "info $scene (no mine): $((hits + false_alarms)) false alarm(s)" ;;
    pmn_*)
      if [ "$hits" -ge 1 ]; then
        echo "ok   $scene: detection within 3 cm of the mine (nearest $nearest), $false_alarms false alarm(s)"
      else
        echo "FAIL $scene: no detection within 3 cm of the mine (nearest $nearest), $false_alarms false alarm(s)"
        sed 's/^/    /' "$WORK/$scene.log"; failed=$((failed+1))
      fi ;;
    *) echo "info $scene (no mine): $((hits + false_alarms)) false alarm(s)" ;;
  esac
  grep -E "^ +[0-9]+ +[0-9.]+ +[0-9.]+" "$WORK/$scene.log" | sed 's/^/    /'
done
[ "$failed" -eq 0 ]
