#!/usr/bin/env bash
# Configures and builds gprproc in build/ (Release, ninja, ccache).
# Usage: scripts/build.sh [extra cmake -D options]
# Environment: GPRPROC_BUILD_DIR (default build), GPRPROC_CUDA_ARCHITECTURES
# (e.g. "80"; CI uses one architecture to keep the CUDA compile short),
# GPRPROC_BUILD_TARGET (build only this target, e.g. gprproc_cli; default all).
# Options not given keep their cached values, so scripts sharing build/
# (demo.sh, test.sh) do not undo each other's choices.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${GPRPROC_BUILD_DIR:-build}
args=(-S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release)
if [ -n "${GPRPROC_CUDA_ARCHITECTURES:-}" ]; then
  args+=("-DCMAKE_CUDA_ARCHITECTURES=${GPRPROC_CUDA_ARCHITECTURES}")
fi
cmake "${args[@]}" "$@"
cmake --build "$BUILD_DIR" --parallel "$(nproc)" ${GPRPROC_BUILD_TARGET:+--target "$GPRPROC_BUILD_TARGET"}
