#!/usr/bin/env bash
# Copies the header-only dependencies the compute core, CUDA tests and
# benchmark need (Eigen, Catch2 v2) into third_party/carried/, so they can be
# carried to a GPU box that has no -dev packages (scripts/gpu-check.sh uses them).
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=third_party/carried
mkdir -p "$DEST"
for pair in "/usr/include/eigen3:eigen3" "/usr/include/catch2:catch2/catch2"; do
  src=${pair%%:*}; dst=$DEST/${pair#*:}
  [ -d "$src" ] || { echo "missing $src: run scripts/setup.sh first" >&2; exit 1; }
  mkdir -p "$(dirname "$dst")"
  rm -rf "$dst"; cp -r "$src" "$dst"
done
echo "carried headers in $DEST ($(du -sh "$DEST" | cut -f1))"
