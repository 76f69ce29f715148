#!/usr/bin/env bash
# End-to-end checks of the gprproc CLI: results, exit codes, error messages,
# and that failures leave no output behind. Usage: test_cli.sh GPRPROC SAMPLE WORKDIR
set -u
GPRPROC=$1; SAMPLE=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
passed=0; failed=0
check() {  # check NAME EXPECTED_RC [grep pattern for stderr+stdout] -- command...
  local name=$1 expected=$2 pattern=$3; shift 4
  local output rc
  output=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne "$expected" ]; then
    echo "FAIL $name: exit $rc, expected $expected"; echo "$output" | sed 's/^/    /'; failed=$((failed+1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE -e "$pattern" <<<"$output"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$output" | sed 's/^/    /'; failed=$((failed+1)); return
  fi
  echo "ok   $name"; passed=$((passed+1))
}

check "info on the sample"            0 "1697 samples x 70 traces" -- "$GPRPROC" info "$SAMPLE" --dx 1cm
check "info needs dx for merged file" 2 "dx"                       -- "$GPRPROC" info "$SAMPLE"
check "convert"                       0 "wrote"                    -- "$GPRPROC" convert "$SAMPLE" --dx 10mm -o "$WORK/s.h5"
check "converted file summary"        0 "dx +0.01 m"               -- "$GPRPROC" info "$WORK/s.h5"
check "convert refuses existing group" 2 "exists|already"          -- "$GPRPROC" convert "$SAMPLE" --dx 1cm -o "$WORK/s.h5"
check "convert adds a second group"   0 "wrote"                    -- "$GPRPROC" convert "$SAMPLE" --dx 1cm -o "$WORK/s.h5" --output-group line_2
check "info lists both groups"        0 "line_2"                   -- "$GPRPROC" info "$WORK/s.h5"
check "convert onto its input"        2 "never overwrites"         -- "$GPRPROC" convert "$WORK/s.h5" -g bscan -o "$WORK/s.h5" --output-group x
check "plot"                          0 "wrote"                    -- "$GPRPROC" plot "$WORK/s.h5" -g bscan -o "$WORK/s.png"
if [ "$(head -c 8 "$WORK/s.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
  echo "ok   plot wrote a PNG"; passed=$((passed+1)); else echo "FAIL plot output is not a PNG"; failed=$((failed+1)); fi
check "missing file"                  3 "no-such-file"             -- "$GPRPROC" info "$WORK/no-such-file.h5"
check "bad dx value"                  2 "dx must be positive"                     -- "$GPRPROC" info "$SAMPLE" --dx -1cm
check "unknown unit"                  2 "unknown unit 'furlong'"   -- "$GPRPROC" info "$SAMPLE" --dx 3furlong
check "missing component"             3 "Qz"                       -- "$GPRPROC" info "$SAMPLE" --dx 1cm -c Qz
check "unknown option"                1 ""                         -- "$GPRPROC" info "$SAMPLE" --bogus
printf 'not an hdf5 file' > "$WORK/text.h5"
check "not HDF5"                      3 "text.h5"                  -- "$GPRPROC" info "$WORK/text.h5"
check "failed plot leaves no file"    3 ""                         -- "$GPRPROC" plot "$WORK/text.h5" -o "$WORK/bad.png"
if [ -e "$WORK/bad.png" ] || ls -a "$WORK" | grep -q '\.tmp'; then
  echo "FAIL partial output left behind"; failed=$((failed+1)); else echo "ok   no partial output"; passed=$((passed+1)); fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
