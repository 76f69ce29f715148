#!/usr/bin/env bash
# The CLI on field files and hostile HDF5 files: `info` shows a time-triggered
# DZT's header (no dx needed to look), `convert` keeps a field file's header
# (history), marks and positions, and crafted files end in exit 3 (file
# error) with a message, never a crash or exit 5 (internal error).
# Usage: test_cli_vendor.sh GPRPROC_CLI SHARED_DATA_DIR WORK_DIR
set -euo pipefail
cli=$1
shared=$2
work=$3
dzt="$shared/field/gssi_sir3000_400MHz.DZT"
if [ ! -f "$dzt" ]; then
  echo "SKIPPED: shared test data not found at $shared"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }

# A time-triggered copy: rhf_spm (bytes 14..17) = 0.0.
python3 - "$dzt" "$work/timed.DZT" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[14:18] = bytes(4)
open(sys.argv[2], "wb").write(data)
PY
out=$("$cli" info "$work/timed.DZT") || fail "info on a time-triggered DZT exited $?"
grep -q "rhf_spm  *0" <<<"$out" || fail "info does not show rhf_spm 0: $out"
grep -q "rhf_epsr  *6" <<<"$out" || fail "info does not show the header's rhf_epsr"
grep -q "none in the file" <<<"$out" || fail "info does not say dx is missing"
set +e
"$cli" convert "$work/timed.DZT" -o "$work/timed.h5" 2>"$work/err.txt"
rc=$?
set -e
[ "$rc" = 2 ] || fail "convert of a time-triggered DZT without --dx exited $rc, expected 2"
grep -q "pass dx" "$work/err.txt" || fail "convert did not ask for dx: $(cat "$work/err.txt")"
"$cli" convert "$work/timed.DZT" --dx 2cm -o "$work/timed.h5" >/dev/null

# convert keeps the header (in the history), the marks and the samples' timing.
"$cli" convert "$dzt" -o "$work/line.h5" >"$work/convert.txt"
grep -q "11 marks" "$work/convert.txt" || fail "convert lost the marks: $(cat "$work/convert.txt")"
out=$("$cli" info "$work/line.h5")
grep -q "read_dzt" <<<"$out" || fail "the converted file has no read_dzt step"
grep -q '"rhf_epsr": "6"' <<<"$out" || fail "the converted file lost the operator's permittivity"
grep -q '"created": "2017-03-21T00:36:46"' <<<"$out" || fail "the converted file lost the date"
grep -q "510 samples x 1040 traces" <<<"$out" || fail "header samples not removed: $out"
grep -q "marks            11" <<<"$out" || fail "info of the converted file shows no marks"

# Crafted HDF5 files (h5py, where installed): exit 3 with a message.
if python3 -c "import h5py" 2>/dev/null; then
  python3 - "$work" <<'PY'
import sys
import h5py
import numpy as np
work = sys.argv[1]
with h5py.File(f"{work}/deep.h5", "w") as f:
    g = f.create_group("bscan"); g["data"] = np.ones((4, 3), "f4"); g.attrs["dt"] = 1e-10; g.attrs["dx"] = 0.01
    g.attrs["history"] = '[{"operation": "x", "parameters": {"a": ' + "[" * 100000 + "]" * 100000 + "}}]"
for name, shape in (("sparse", (16384, 32768)), ("sparse_huge", (1 << 20, 1 << 20))):
    with h5py.File(f"{work}/{name}.h5", "w") as f:
        g = f.create_group("bscan"); g.attrs["dt"] = 1e-10; g.attrs["dx"] = 0.01
        g.create_dataset("data", shape=shape, dtype="f4", chunks=(1024, 64))
PY
  for name in deep sparse sparse_huge; do
    set +e
    "$cli" info "$work/$name.h5" >/dev/null 2>"$work/err.txt"
    rc=$?
    set -e
    [ "$rc" = 3 ] || fail "info on $name.h5 exited $rc (expected 3): $(cat "$work/err.txt")"
    grep -q "levels deep\|never written" "$work/err.txt" || fail "info on $name.h5: $(cat "$work/err.txt")"
  done
else
  echo "h5py not found: crafted HDF5 cases skipped"
fi
echo "cli vendor/hostile checks passed"
