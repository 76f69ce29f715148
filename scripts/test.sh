#!/usr/bin/env bash
# Everything CI runs, on a fresh Debian 12 machine or an old checkout:
#  1. installs what is missing (scripts/setup.sh);
#  2. builds the library, CUDA backend (compiled whenever nvcc is present; the
#     CUDA tests run only where a GPU is and report themselves skipped
#     elsewhere), CLI, tests and benchmark, and runs ctest;
#  3. builds the tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#     and runs them;
#  4. fuzzes the vendor readers and the recipe parser briefly (libFuzzer, seed
#     corpora in tests/fuzz);
#  5. installs the library and builds the consumer project in tests/consumer
#     against it with find_package(gprproc);
#  6. pip-installs the Python package and runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
bash scripts/setup.sh
# ccache hits across clones in different folders (CI checks out a fresh one).
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1

step() { echo; echo "=== $* ($(date +%H:%M:%S))"; }

# One CUDA architecture keeps CI's compile short; a user's build covers the lab GPUs.
export GPRPROC_CUDA_ARCHITECTURES=${GPRPROC_CUDA_ARCHITECTURES:-80}

# Every ctest call fails when it finds no tests (--no-tests=error), and every
# build states the options it needs (build/ is shared with scripts/demo.sh).
step "build (Release, CUDA when the toolkit is found)"
GPRPROC_BUILD_DIR=build bash scripts/build.sh -DGPRPROC_WARNINGS_AS_ERRORS=ON -DGPRPROC_BUILD_TESTS=ON \
  -DGPRPROC_BUILD_BENCHMARKS=ON -DGPRPROC_BUILD_CLI=ON -DGPRPROC_BUILD_IO=ON
step "ctest (Release)"
ctest --test-dir build --output-on-failure --timeout 900 --no-tests=error

step "build under ASan + UBSan (CPU backend)"
GPRPROC_BUILD_DIR=build-asan bash scripts/build.sh -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGPRPROC_SANITIZE=ON \
  -DGPRPROC_WITH_CUDA=OFF -DGPRPROC_BUILD_BENCHMARKS=OFF -DGPRPROC_BUILD_TESTS=ON
step "ctest (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure --timeout 1800 --no-tests=error

step "short libFuzzer pass over the vendor readers and the recipe parser (clang, ASan + UBSan)"
# The long fuzzing runs are done by hand (docs/FORMAT_VENDORS.md, docs/RECIPES.md);
# CI replays the seed corpora and fuzzes each format (and recipes) briefly, so a
# regression that crashes a reader or the recipe parser on malformed input fails the run.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGPRPROC_BUILD_FUZZERS=ON \
  -DGPRPROC_WITH_CUDA=OFF -DGPRPROC_BUILD_IO=ON -DGPRPROC_BUILD_CLI=OFF -DGPRPROC_BUILD_BENCHMARKS=OFF >/dev/null
for format in dzt dt1 mala segy hdf5 gprmax recipe; do
  cmake --build build-fuzz --target "gprproc_fuzz_$format" --parallel "$(nproc)"
  mkdir -p "build-fuzz/work_$format"
  log="build-fuzz/fuzz_$format.log"
  if ! "build-fuzz/tests/fuzz/gprproc_fuzz_$format" -max_total_time="${GPRPROC_FUZZ_SECONDS:-20}" \
       -print_final_stats=1 "build-fuzz/work_$format" "tests/fuzz/corpus/$format" >"$log" 2>&1; then
    echo "fuzzer $format found a problem:"; tail -40 "$log"; exit 1
  fi
  echo "fuzz $format: $(grep -m1 -o 'number_of_executed_units: *[0-9]*' "$log") executions, no crash"
done

step "install + consumer project (find_package(gprproc))"
rm -rf build/install-prefix tests/consumer/build
cmake --install build --prefix build/install-prefix --component dev >/dev/null
cmake -S tests/consumer -B tests/consumer/build -G Ninja -DCMAKE_PREFIX_PATH="$ROOT/build/install-prefix"
cmake --build tests/consumer/build
ctest --test-dir tests/consumer/build --output-on-failure --no-tests=error

step "Python package (pip install .) + pytest"
# CI builds the module CPU-only: the CUDA backend was compiled (and its tests
# built) above, and compiling it a second time would double CI's longest step.
# A user's `pip install .` builds CUDA whenever nvcc is found.
GPRPROC_WITH_CUDA=${GPRPROC_PYTHON_WITH_CUDA:-OFF} CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
  python3 -m pip install -q --disable-pip-version-check --no-build-isolation .
(cd tests/python && python3 -m pytest -ra -q .)
