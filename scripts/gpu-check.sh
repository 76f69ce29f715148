#!/usr/bin/env bash
# The one script a lab runs on a GPU box (nvcc, CMake, ninja; no HDF5 or other
# -dev packages, no network): builds the compute core, the CUDA tests and the
# benchmark for this machine's GPU, runs the tests, runs the benchmark, and
# leaves logs and results in the folder given (default gpu-check-results/).
# Header-only dependencies come from third_party/carried/ (scripts/carry-headers.sh)
# or from the system. Rerunnable: the build folder is reused.
set -uo pipefail
cd "$(dirname "$0")/.."
RESULTS=${1:-gpu-check-results}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
BUILD=${GPRPROC_GPU_BUILD_DIR:-build-gpu}
log() { echo "[gpu-check $(date +%H:%M:%S)] $*" | tee -a "$RESULTS/summary.txt"; }

nvidia-smi > "$RESULTS/nvidia-smi.txt" 2>&1 || log "nvidia-smi failed (no GPU?)"
args=(-S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGPRPROC_WITH_CUDA=ON
      -DGPRPROC_BUILD_IO=OFF -DGPRPROC_BUILD_CLI=OFF -DGPRPROC_BUILD_PYTHON=OFF)
[ -d third_party/carried/eigen3 ] && args+=(-DGPRPROC_EIGEN_INCLUDE_DIR="$PWD/third_party/carried/eigen3")
[ -d third_party/carried/catch2 ] && args+=(-DGPRPROC_CATCH2_INCLUDE_DIR="$PWD/third_party/carried/catch2")
[ -n "${CMAKE_CUDA_ARCHITECTURES:-}" ] && args+=(-DCMAKE_CUDA_ARCHITECTURES="$CMAKE_CUDA_ARCHITECTURES")

log "configure"
cmake "${args[@]}" > "$RESULTS/configure.log" 2>&1 || { log "configure FAILED (see configure.log)"; tail -30 "$RESULTS/configure.log"; exit 1; }
log "build"
cmake --build "$BUILD" --parallel "$(nproc)" > "$RESULTS/build.log" 2>&1 || { log "build FAILED (see build.log)"; grep -m 20 -E "error|Error" "$RESULTS/build.log"; exit 1; }
log "tests"
ctest --test-dir "$BUILD" --output-on-failure --timeout 300 > "$RESULTS/ctest.log" 2>&1
test_rc=$?
tail -15 "$RESULTS/ctest.log" | tee -a "$RESULTS/summary.txt"
log "benchmark"
# GPU suites at the field B-scan and the long profile; the CPU suites beside
# them at the field size without the 64-velocity scan (minutes on a CPU), with
# at most ~1 s of timed runs per measurement, so the run stays near 3 minutes
# (docs/BENCHMARKS.md); the timeout keeps the whole check under 8 minutes.
timeout 240 "$BUILD/benchmarks/gprproc-bench" --budget 1 --cpu-size field --cpu-skip velocity_scan \
  --json "$RESULTS/bench.json" --markdown "$RESULTS/bench.md" > "$RESULTS/bench.log" 2>&1
bench_rc=$?
[ $bench_rc -eq 124 ] && log "benchmark stopped by its 240 s timeout (no table written; see bench.log)"
cat "$RESULTS/bench.md" 2>/dev/null | tee -a "$RESULTS/summary.txt"
log "done: tests rc=$test_rc, bench rc=$bench_rc; results in $RESULTS"
exit $(( test_rc != 0 || bench_rc != 0 ))
