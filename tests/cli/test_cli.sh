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

# ---- process, recipes, migrate, velocity, detect
RECIPES=$(cd "$(dirname "$0")/../../recipes" && pwd)
check "process the sample with the landmine recipe" 0 "target\(s\)" -- \
  "$GPRPROC" process "$SAMPLE" -r "$RECIPES/landmine.toml" -o "$WORK/p.h5" --quiet
check "process output groups"         0 "migrated"                 -- "$GPRPROC" info "$WORK/p.h5"
check "history records the velocity scan" 0 "velocity_scan"        -- "$GPRPROC" info "$WORK/p.h5" -g migrated
check "process history holds the recipe" 0 "landmine"              -- "$GPRPROC" info "$WORK/p.h5" -g background_removed
for f in p_targets.csv p_targets.json p_raw.png p_background_removed.png p_migrated.png; do
  if [ -s "$WORK/$f" ]; then echo "ok   process wrote $f"; passed=$((passed+1));
  else echo "FAIL process did not write $f"; failed=$((failed+1)); fi
done
# The mine body is x 0.394-0.506 m, top 5 cm deep: the strongest target must be near it.
if awk -F, 'NR == 2 { exit !($2 > 0.364 && $2 < 0.536 && $3 > 0.02 && $3 < 0.136) }' "$WORK/p_targets.csv"; then
  echo "ok   strongest target on the mine"; passed=$((passed+1)); else
  echo "FAIL strongest target not on the mine:"; cat "$WORK/p_targets.csv"; failed=$((failed+1)); fi
# Stolt on the same sample with the offset remap but no dip moveout: runs, and says so in the history.
printf '%s\n' '[input]' 'component = "Ez"' 'dx = "1cm"' 'x0 = "10cm"' 't0 = "-0.943ns"' 'antenna_height = "3cm"' \
  'antenna_offset = "4cm"' '[[step]]' 'type = "background"' 'method = "mean"' '[[step]]' 'type = "migrate"' \
  'method = "stolt"' 'velocity = "0.1m/ns"' 'depth = "20cm"' 'dip_moveout = false' 'save = "migrated"' > "$WORK/stolt.toml"
check "process with Stolt, dip_moveout = false" 0 "" -- \
  "$GPRPROC" process "$SAMPLE" -r "$WORK/stolt.toml" -o "$WORK/stolt.h5" --quiet --no-pictures
check "Stolt history records dip_moveout" 0 "dip_moveout" -- "$GPRPROC" info "$WORK/stolt.h5" -g migrated
check "migrate --method stolt --no-dip-moveout" 0 "wrote" -- "$GPRPROC" migrate "$SAMPLE" --dx 1cm --antenna-offset 4cm \
  --method stolt --velocity 0.1m/ns --depth 20cm --no-dip-moveout -o "$WORK/stolt_nmo.h5"
check "--no-dip-moveout with Kirchhoff" 2 "for --method stolt or phase_shift" -- "$GPRPROC" migrate "$SAMPLE" --dx 1cm \
  --velocity 0.1m/ns --depth 20cm --no-dip-moveout -o "$WORK/m2.h5"
check "process refuses an existing output" 2 "exists"              -- \
  "$GPRPROC" process "$SAMPLE" -r "$RECIPES/landmine.toml" -o "$WORK/p.h5" --quiet
bad_recipe() {  # bad_recipe NAME PATTERN TOML-TEXT
  printf '%s\n' "$3" > "$WORK/bad.toml"
  check "bad recipe: $1" 2 "$2" -- "$GPRPROC" process "$SAMPLE" -r "$WORK/bad.toml" -o "$WORK/bad.h5"
  if [ -e "$WORK/bad.h5" ] || ls -a "$WORK" | grep -q 'bad.h5.tmp'; then
    echo "FAIL bad recipe ($1) left an output"; failed=$((failed+1)); rm -f "$WORK/bad.h5"; fi
}
bad_recipe "unknown step"  "bad.toml:2: .*key 'type'.*unknown step type 'smooth'" $'[[step]]\ntype = "smooth"'
bad_recipe "unknown key"   "bad.toml:3: .*key 'windw'.*unknown key" $'[[step]]\ntype = "dewow"\nwindw = "1ns"'
bad_recipe "wrong type"    "bad.toml:4: .*key 'window_traces'.*expected an integer" \
  $'[input]\n[[step]]\ntype = "background"\nwindow_traces = "wide"'
bad_recipe "absurd value"  "bad.toml:3: .*key 'window'.*out of range" $'[[step]]\ntype = "dewow"\nwindow = "-2ns"'
bad_recipe "bad unit"      "key 'high'.*unknown unit 'parsec'" $'[[step]]\ntype = "bandpass"\nhigh = "3parsec"'
bad_recipe "order"         "put it after migrate" $'[[step]]\ntype = "detect"'
bad_recipe "not TOML"      "bad.toml:1: not valid TOML" 'this is = = not toml'
bad_recipe "no steps"      "no steps" 'name = "empty"'
bad_recipe "f-k key on Kirchhoff" "key 'dip_moveout'.*only used with method = .stolt." \
  $'[[step]]\ntype = "migrate"\nmethod = "kirchhoff"\nvelocity = "0.1m/ns"\ndepth = "20cm"\ndip_moveout = false'
bad_recipe "fallback without scan" "key 'fallback_velocity'.*only used with velocity = .auto." \
  $'[[step]]\ntype = "migrate"\nvelocity = "0.1m/ns"\ndepth = "20cm"\nfallback_velocity = "0.1m/ns"'
bad_recipe "fallback too fast" "key 'fallback_velocity'.*out of range" \
  $'[[step]]\ntype = "migrate"\nvelocity = "auto"\ndepth = "20cm"\nfallback_velocity = "0.5m/ns"'
check "missing recipe file"           3 "nope.toml"                -- \
  "$GPRPROC" process "$SAMPLE" -r "$WORK/nope.toml" -o "$WORK/bad.h5"
check "migrate"                       0 "wrote"                    -- "$GPRPROC" migrate "$SAMPLE" --dx 1cm --x0 10cm \
  --t0 -0.943ns --antenna-height 3cm --antenna-offset 4cm --permittivity 12 --depth 20cm -o "$WORK/m.h5" \
  --png "$WORK/m.png"
check "migrate needs a velocity"      2 "velocity"                 -- "$GPRPROC" migrate "$SAMPLE" --dx 1cm --depth 20cm \
  -o "$WORK/m2.h5"
check "velocity scan"                 0 "best velocity"            -- "$GPRPROC" velocity "$WORK/p.h5" -g raw \
  --min 0.06m/ns --max 0.14m/ns -n 5 --depth 20cm --min-depth 2cm --png "$WORK/v.png" --quiet
check "detect"                        0 "target\(s\)"             -- "$GPRPROC" detect "$WORK/p.h5" -g migrated \
  --min-depth 2cm --relative-threshold 0.3 --csv "$WORK/d.csv" --json "$WORK/d.json" --png "$WORK/d.png"
check "detect bad option"             2 "min_separation"           -- "$GPRPROC" detect "$WORK/p.h5" --min-separation 0m
# --device cuda: runs where CUDA is, else exit 4 with a clear message and no output.
"$GPRPROC" process "$SAMPLE" -r "$RECIPES/landmine.toml" -o "$WORK/c.h5" --device cuda --quiet --no-pictures \
  > "$WORK/c.log" 2>&1; rc=$?
if [ "$rc" -eq 0 ] || { [ "$rc" -eq 4 ] && grep -q "CUDA" "$WORK/c.log" && [ ! -e "$WORK/c.h5" ]; }; then
  echo "ok   process --device cuda (exit $rc)"; passed=$((passed+1)); else
  echo "FAIL process --device cuda: exit $rc"; sed 's/^/    /' "$WORK/c.log"; failed=$((failed+1)); fi

# ---- acceptance on the project's gprMax landmine scenes (skips without shared data)
if bash "$(dirname "$0")/test_landmines.sh" "$GPRPROC" "$RECIPES/landmine.toml" "$WORK/landmines"; then
  echo "ok   landmine scenes"; passed=$((passed+1)); else echo "FAIL landmine scenes"; failed=$((failed+1)); fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
