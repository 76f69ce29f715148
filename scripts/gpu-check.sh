#!/usr/bin/env bash
# The one script a lab runs on a GPU box (nvcc, CMake, ninja; no HDF5 or other
# -dev packages, no network): builds the compute core, the CUDA tests, the
# benchmark and (where Python has pybind11 and its headers) the compute-only
# Python module; runs the tests; runs the benchmark and the Python peers (CuPy
# among them); checks the issues' GPU goals against the run (goals.md);
# leaves logs and results in the folder given (default
# gpu-check-results/). Header-only dependencies come from third_party/carried/
# (scripts/carry-headers.sh) or from the system. Rerunnable: the build folder
# is reused.
#
#   scripts/gpu-check.sh [--build-only] [RESULTS]
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_ONLY=0
if [ "${1:-}" = "--build-only" ]; then BUILD_ONLY=1; shift; fi
RESULTS=${1:-gpu-check-results}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
BUILD=${GPRPROC_GPU_BUILD_DIR:-build-gpu}
PYTHON=${PYTHON:-python3}
log() { echo "[gpu-check $(date +%H:%M:%S)] $*" | tee -a "$RESULTS/summary.txt"; }
started=$(date +%s)

nvidia-smi > "$RESULTS/nvidia-smi.txt" 2>&1 || log "nvidia-smi failed (no GPU?)"
args=(-S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGPRPROC_WITH_CUDA=ON
      -DGPRPROC_BUILD_IO=OFF -DGPRPROC_BUILD_CLI=OFF)
[ -d third_party/carried/eigen3 ] && args+=(-DGPRPROC_EIGEN_INCLUDE_DIR="$PWD/third_party/carried/eigen3")
[ -d third_party/carried/catch2 ] && args+=(-DGPRPROC_CATCH2_INCLUDE_DIR="$PWD/third_party/carried/catch2")
[ -n "${CMAKE_CUDA_ARCHITECTURES:-}" ] && args+=(-DCMAKE_CUDA_ARCHITECTURES="$CMAKE_CUDA_ARCHITECTURES")

# The Python module (compute-only: no HDF5 here) needs pybind11 and Python.h.
with_python=0
if "$PYTHON" - <<'EOF' 2>/dev/null
import os, sysconfig, pybind11
raise SystemExit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)
EOF
then
  with_python=1
  args+=(-DGPRPROC_BUILD_PYTHON=ON -DPython_EXECUTABLE="$(command -v "$PYTHON")")
else
  log "Python module SKIPPED: $PYTHON lacks pybind11 or its headers (Python.h); no Python tests or peers"
  args+=(-DGPRPROC_BUILD_PYTHON=OFF)
fi

log "configure"
cmake "${args[@]}" > "$RESULTS/configure.log" 2>&1 || { log "configure FAILED (see configure.log)"; tail -30 "$RESULTS/configure.log"; exit 1; }
log "build"
cmake --build "$BUILD" --parallel "$(nproc)" > "$RESULTS/build.log" 2>&1 || { log "build FAILED (see build.log)"; grep -m 20 -E "error|Error" "$RESULTS/build.log"; exit 1; }
log "built in $(( $(date +%s) - started )) s"
if [ $with_python -eq 1 ]; then
  # The package as users import it: python/gprproc with the module beside it.
  rm -rf "$BUILD/pkg" && mkdir -p "$BUILD/pkg" && cp -r python/gprproc "$BUILD/pkg/" &&
    cp "$BUILD"/python/_core*.so "$BUILD/pkg/gprproc/"
fi
[ $BUILD_ONLY -eq 1 ] && { log "done (--build-only)"; exit 0; }

log "tests"
ctest --test-dir "$BUILD" --output-on-failure --timeout 300 --no-tests=error > "$RESULTS/ctest.log" 2>&1
test_rc=$?
tail -15 "$RESULTS/ctest.log" | tee -a "$RESULTS/summary.txt"
if [ $with_python -eq 1 ]; then
  PYTHONPATH="$BUILD/pkg" timeout 300 "$PYTHON" -m pytest tests/python -q -rs -p no:cacheprovider > "$RESULTS/pytest.log" 2>&1
  py_rc=$?
  tail -25 "$RESULTS/pytest.log" | tee -a "$RESULTS/summary.txt"
  [ $py_rc -ne 0 ] && test_rc=1
fi

log "benchmark"
# Each GPU suite in its own process (with the copy rooflines it is measured
# against), so that one failing suite cannot take the others' CUDA context
# down with it: field, long profile and the 2 GiB batch. Then the CPU suites at
# the field size without the 64-velocity scan (minutes on a CPU). At most ~1 s
# of timed runs per measurement keeps the whole check near 8 minutes.
bench="$BUILD/benchmarks/gprproc-bench"
bench_rc=0
: > "$RESULTS/bench.md"
for suite in filters_cuda gain_cuda background_cuda migration_cuda detect_cuda migration_3d_cuda; do
  timeout 150 "$bench" --full --budget 1 --filter "roofline,$suite" --no-cpu \
    --json "$RESULTS/bench_$suite.json" --markdown "$RESULTS/bench_$suite.md" > "$RESULTS/bench_$suite.log" 2>&1
  rc=$?; [ $rc -ne 0 ] && { bench_rc=$rc; log "bench $suite: rc=$rc (see bench_$suite.log)"; }
  cat "$RESULTS/bench_$suite.md" >> "$RESULTS/bench.md" 2>/dev/null
done
timeout 200 "$bench" --size field --budget 1 --filter "roofline_cpu,_cpu" --no-gpu --cpu-skip velocity_scan \
  --json "$RESULTS/bench_cpu.json" --markdown "$RESULTS/bench_cpu.md" > "$RESULTS/bench_cpu.log" 2>&1
rc=$?; [ $rc -ne 0 ] && { bench_rc=$rc; log "bench cpu suites: rc=$rc (see bench_cpu.log)"; }
cat "$RESULTS/bench_cpu.md" >> "$RESULTS/bench.md" 2>/dev/null
grep -h "FAILED" "$RESULTS"/bench_*.log | tee -a "$RESULTS/summary.txt"
if [ $with_python -eq 1 ]; then
  log "peers (numpy/scipy, readgssi where installed, CuPy on the GPU)"
  PYTHONPATH="$BUILD/pkg" timeout 300 "$PYTHON" benchmarks/peers/run_peers.py --size field --repetitions 3 --budget 1 \
    --json "$RESULTS/peers.json" --markdown "$RESULTS/peers.md" > "$RESULTS/peers.log" 2>&1 ||
    log "peers: rc=$? (see peers.log)"
  cat "$RESULTS/peers.md" 2>/dev/null | tee -a "$RESULTS/summary.txt"
  # ridal's Kirchhoff kernel, where rustc and its sdist (PyPI, or RIDAL_SDIST) are at hand; it says why when not.
  log "ridal Kirchhoff kernel against the CPU Kirchhoff"
  PYTHONPATH="$BUILD/pkg" timeout 180 "$PYTHON" benchmarks/peers/ridal_kirchhoff.py --size field --repetitions 2 \
    ${RIDAL_SDIST:+--sdist "$RIDAL_SDIST"} --json "$RESULTS/ridal.json" --markdown "$RESULTS/ridal.md" \
    > "$RESULTS/ridal.log" 2>&1 || log "ridal: not run or failed, rc=$? ($(tail -n 1 "$RESULTS/ridal.log"))"
  cat "$RESULTS/ridal.md" 2>/dev/null | tee -a "$RESULTS/summary.txt"
  # 3-D Kirchhoff: gprproc (CPU and GPU) against the numpy loop and its CuPy twin.
  log "3-D Kirchhoff peer (numpy / CuPy)"
  PYTHONPATH="$BUILD/pkg" timeout 240 "$PYTHON" benchmarks/peers/kirchhoff_3d_peer.py --lines 32 --samples 512 \
    --traces 256 --depths 100 --radius 12 --json "$RESULTS/kirchhoff_3d_peer.json" \
    --markdown "$RESULTS/kirchhoff_3d_peer.md" > "$RESULTS/kirchhoff_3d_peer.log" 2>&1 ||
    log "kirchhoff_3d_peer: rc=$? (see kirchhoff_3d_peer.log)"
  cat "$RESULTS/kirchhoff_3d_peer.md" 2>/dev/null | tee -a "$RESULTS/summary.txt"
fi
log "goals (benchmarks/goals.py: each GPU goal of the issues against this run)"
"$PYTHON" benchmarks/goals.py "$RESULTS" --markdown "$RESULTS/goals.md" | tee -a "$RESULTS/summary.txt" ||
  log "goals: rc=$?"
log "done in $(( $(date +%s) - started )) s: tests rc=$test_rc, bench rc=$bench_rc; results in $RESULTS"
exit $(( test_rc != 0 || bench_rc != 0 ))
