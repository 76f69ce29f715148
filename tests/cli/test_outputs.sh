#!/usr/bin/env bash
# Attacks on what the CLI writes and reads (docs/CLI.md, "Inputs and outputs"):
# every one must end in a clear error and a documented exit code, with every
# input byte for byte unchanged and no partial or temporary file left.
# Usage: test_outputs.sh GPRPROC SAMPLE WORKDIR
set -u
GPRPROC=$1; SAMPLE=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 1
passed=0; failed=0
ok() { echo "ok   $1"; passed=$((passed+1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/    /'; failed=$((failed+1)); }
check() {  # check NAME EXPECTED_RC [grep pattern for stderr+stdout] -- command...
  local name=$1 expected=$2 pattern=$3; shift 4
  local output rc
  output=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne "$expected" ]; then bad "$name: exit $rc, expected $expected" "$output"; return; fi
  if [ -n "$pattern" ] && ! grep -qE -e "$pattern" <<<"$output"; then bad "$name: output lacks /$pattern/" "$output"; return; fi
  ok "$name"
}
# Temporaries and journals of any writer, in a folder.
leftovers() { ls -A "${1:-.}" | grep -E '\.tmp-|\.tmp$|\.publish$' ; }
no_leftovers() {  # NAME [FOLDER]
  local left; left=$(leftovers "${2:-.}")
  if [ -z "$left" ]; then ok "$1: no temporary left"; else bad "$1: left $left"; fi
}
unchanged() {  # NAME: every input file as it was
  if md5sum --quiet -c inputs.md5 >/dev/null 2>&1; then ok "$1: inputs unchanged"; else bad "$1: an input changed" "$(md5sum -c inputs.md5 2>&1)"; fi
}
absent() { if [ -e "$2" ]; then bad "$1: $2 was written"; rm -f "$2"; else ok "$1: no $2"; fi; }
# A disk that fills up: a file-size limit (KiB) makes writes fail with EFBIG, as ENOSPC would.
limited() { local kib=$1; shift; ( trap '' XFSZ; ulimit -f "$kib"; exec "$@" ); }

"$GPRPROC" convert "$SAMPLE" --dx 1cm --output-group bscan -o b.h5 >/dev/null || { echo "FAIL setup"; exit 1; }
"$GPRPROC" migrate b.h5 --velocity 0.1m/ns --depth 15cm -o img.h5 -q || { echo "FAIL setup"; exit 1; }
echo "my field notes" > notes.txt
ln -s b.h5 link.h5; ln b.h5 hard.h5
md5sum b.h5 img.h5 notes.txt > inputs.md5

# ---- side outputs over an input, or over an existing file
INPUT="never overwrites its input"
check "detect --csv onto its input"        2 "$INPUT" -- "$GPRPROC" detect img.h5 --csv img.h5
check "detect --csv onto its input, --overwrite" 2 "$INPUT" -- "$GPRPROC" detect img.h5 --csv img.h5 --overwrite
check "detect --json onto its input"       2 "$INPUT" -- "$GPRPROC" detect img.h5 --json img.h5 --overwrite
check "detect --png onto its input"        2 "$INPUT" -- "$GPRPROC" detect img.h5 --png img.h5 --overwrite
check "plot -o its input"                  2 "$INPUT" -- "$GPRPROC" plot b.h5 -o b.h5 --overwrite
check "plot through a symbolic link to its input" 2 "input 'b.h5'" -- "$GPRPROC" plot b.h5 -o link.h5 --overwrite
check "plot onto a hard link of its input" 2 "input 'b.h5'" -- "$GPRPROC" plot b.h5 -o hard.h5 --overwrite
check "migrate --png onto its input"       2 "$INPUT" -- "$GPRPROC" migrate b.h5 --velocity 0.1m/ns --depth 10cm \
  -o m.h5 --png b.h5 -q
absent "migrate --png onto its input (checked before the work)" m.h5
check "velocity --png onto its input"      2 "$INPUT" -- "$GPRPROC" velocity b.h5 --depth 10cm -n 3 --png b.h5 -q
check "plot over an unrelated file"        2 "'notes.txt' exists; pass --overwrite" -- "$GPRPROC" plot b.h5 -o notes.txt
check "migrate over the group it read"     2 "$INPUT" -- "$GPRPROC" migrate b.h5 -o b.h5 --output-group bscan \
  --overwrite --velocity 0.1m/ns --depth 10cm -q
check "migrate into its input as a new group" 2 "$INPUT" -- "$GPRPROC" migrate b.h5 -o b.h5 --output-group other \
  --velocity 0.1m/ns --depth 10cm -q
check "detect --csv and --json the same file" 2 "two outputs" -- "$GPRPROC" detect img.h5 --csv t.csv --json t.csv
absent "detect with one file named twice" t.csv
unchanged "side outputs"
no_leftovers "side outputs"

# ---- process: never into its input, not over existing files, every name checked before the work
RECIPE_A=run_a.toml; RECIPE_B=run_b.toml
cat > "$RECIPE_A" <<'EOF'
name = "run_a"
[input]
dx = "1cm"
x0 = "10cm"
t0 = "-0.943ns"
antenna_height = "3cm"
antenna_offset = "4cm"
[[step]]
type = "background"
method = "mean"
save = "bg_a"
[[step]]
type = "migrate"
method = "stolt"
velocity = "0.1m/ns"
depth = "15cm"
[[step]]
type = "detect"
max_targets = 1
EOF
sed -e 's/run_a/run_b/; s/bg_a/bg_b/; s/max_targets = 1/max_targets = 3\nrelative_threshold = 0.05\nthreshold = 2/' \
  "$RECIPE_A" > "$RECIPE_B"
cp b.h5 q_raw.png; md5sum q_raw.png >> inputs.md5
check "process -o its input"                2 "$INPUT" -- "$GPRPROC" process b.h5 -r "$RECIPE_A" -o b.h5 --overwrite -q
check "process whose picture would be its input" 2 "$INPUT" -- "$GPRPROC" process q_raw.png -r "$RECIPE_A" -o q.h5 \
  --overwrite -q
absent "process refused before the work" q.h5
echo "rank,x" > e_targets.csv
check "process over an existing side file" 2 "e_targets.csv' exists; pass --overwrite" -- \
  "$GPRPROC" process "$SAMPLE" -r "$RECIPE_A" -o e.h5 -q
absent "process refused before the work" e.h5
check "process with its recipe as output"   2 "$INPUT" -- "$GPRPROC" process "$SAMPLE" -r "$RECIPE_A" -o "$RECIPE_A" \
  --overwrite -q
rm -f e_targets.csv
unchanged "process refusals"
no_leftovers "process refusals"

# ---- recipe save names, checked at load time (exit 2 naming file and line, no output)
bad_recipe() {  # NAME PATTERN TOML-TEXT
  printf '%s\n' "$3" > bad.toml
  check "recipe: $1" 2 "$2" -- "$GPRPROC" process b.h5 -r bad.toml -o bad.h5 -q
  absent "recipe: $1" bad.h5
}
bad_recipe "save = raw (reserved)" "bad.toml:3: .*key 'save'.*'raw' is reserved" $'[[step]]\ntype = "dc"\nsave = "raw"'
bad_recipe "save twice" "bad.toml:6: .*saved twice \\(also by the step at line 1\\)" \
  $'[[step]]\ntype = "dc"\nsave = "s"\n[[step]]\ntype = "dc"\nsave = "s"'
bad_recipe "save name with a space" "bad.toml:3: .*only letters, digits" $'[[step]]\ntype = "dc"\nsave = "two words"'
bad_recipe "save name with a NUL" "bad.toml:3: .*only letters, digits" $'[[step]]\ntype = "dc"\nsave = "a\\u0000b"'
bad_recipe "save name of 65 characters" "at most 64" \
  $'[[step]]\ntype = "dc"\nsave = "'"$(printf 'x%.0s' $(seq 65))"'"'
bad_recipe "B-scan saved as the image's group" "goes to group 'migrated', which the step at line 1" \
  $'[[step]]\ntype = "dc"\nsave = "migrated"\n[[step]]\ntype = "migrate"\nvelocity = "0.1m/ns"\ndepth = "10cm"'
bad_recipe "keys nested 100000 deep (toml++ overflowed its stack)" "nested more than 16 levels" \
  "$(printf 'a'; printf '.a%.0s' $(seq 100000); printf ' = 1')"
head -c 1100000 /dev/zero | tr '\0' '#' > huge.toml
check "recipe over 1 MiB" 2 "more than 1 MiB" -- "$GPRPROC" process b.h5 -r huge.toml -o bad.h5 -q
rm -f huge.toml bad.toml

# ---- inputs that are not files: a FIFO must not hang, devices and folders are refused
mkfifo fifo.h5 fifo.toml
check "info on a FIFO (no hang)"          3 "'fifo.h5': it is a FIFO" -- timeout 20 "$GPRPROC" info fifo.h5
check "detect on a FIFO"                  3 "FIFO"                    -- timeout 20 "$GPRPROC" detect fifo.h5
check "process with a FIFO recipe"        3 "'fifo.toml': it is a FIFO" -- timeout 20 "$GPRPROC" process b.h5 \
  -r fifo.toml -o f.h5 -q
check "plot a character device"           3 "character device"        -- timeout 20 "$GPRPROC" plot /dev/zero -o z.png
check "info on a folder"                  3 "it is a folder"          -- "$GPRPROC" info .
check "plot -o a FIFO"                    3 "'fifo.h5': it is a FIFO" -- timeout 20 "$GPRPROC" plot b.h5 -o fifo.h5 \
  --overwrite
rm -f fifo.h5 fifo.toml
no_leftovers "non-file inputs"

# ---- a full disk: the old file stays byte for byte, exit 3, no temporary
"$GPRPROC" plot b.h5 -o old.png >/dev/null && cp old.png old.png.ref
check "plot on a full disk"               3 "old.png.*File too large" -- limited 16 "$GPRPROC" plot b.h5 -o old.png \
  --overwrite --title other
if cmp -s old.png old.png.ref; then ok "plot on a full disk: old PNG unchanged"; else bad "plot on a full disk: old PNG changed"; fi
"$GPRPROC" detect img.h5 --csv old.csv --json old.json >/dev/null && cp old.csv old.csv.ref && cp old.json old.json.ref
check "detect --csv on a full disk"       3 "old.csv.*File too large" -- limited 0 "$GPRPROC" detect img.h5 \
  --max-targets 1 --csv old.csv --overwrite
check "detect --json on a full disk"      3 "old.json.*File too large" -- limited 0 "$GPRPROC" detect img.h5 \
  --max-targets 1 --json old.json --overwrite
if cmp -s old.csv old.csv.ref && cmp -s old.json old.json.ref; then ok "detect on a full disk: old CSV and JSON unchanged"
else bad "detect on a full disk: old CSV or JSON changed"; fi
cp img.h5 old.h5 && cp old.h5 old.h5.ref
check "migrate adding a group on a full disk" 3 "File too large" -- limited 40 "$GPRPROC" migrate b.h5 -o old.h5 \
  --output-group second --velocity 0.1m/ns --depth 15cm -q
if cmp -s old.h5 old.h5.ref; then ok "migrate on a full disk: old HDF5 unchanged"; else bad "migrate on a full disk: old HDF5 changed"; fi
rm -f old.png.ref old.csv.ref old.json.ref old.h5.ref
unchanged "full disk"
no_leftovers "full disk"

# ---- concurrent group adds: two processes, eight groups each, all sixteen survive
for p in 1 2; do
  ( for k in 1 2 3 4 5 6 7 8; do "$GPRPROC" convert b.h5 -o shared.h5 --output-group "p${p}_$k" >/dev/null || echo "convert failed"; done ) > "adds_$p.log" 2>&1 &
done
wait
survivors=$("$GPRPROC" info shared.h5 | grep -cE '^ +/p[12]_[1-8] ')
if [ "$survivors" -eq 16 ] && ! grep -q . adds_1.log adds_2.log; then ok "concurrent group adds: all 16 groups survive"
else bad "concurrent group adds: $survivors of 16 groups" "$(cat adds_1.log adds_2.log; "$GPRPROC" info shared.h5)"; fi
rm -f shared.h5 adds_1.log adds_2.log
no_leftovers "concurrent group adds"

# ---- temporaries of dead processes go when their file is next written; a live one stays
sh -c 'exit 0' & dead=$!; wait "$dead"
for name in ".s.png.tmp-$dead-5e1f" ".s.png.tmp-$dead" "..s.png.tmp-$dead-12.tmp-$dead-34"; do head -c 100000 /dev/zero > "$name"; done
echo live > ".s.png.tmp-$$-abcd"
check "plot over stale temporaries"       0 "wrote"                  -- "$GPRPROC" plot b.h5 -o s.png
if [ "$(leftovers)" = ".s.png.tmp-$$-abcd" ]; then ok "stale temporaries removed, the live one kept"
else bad "stale temporaries: left $(leftovers | tr '\n' ' ')"; fi
rm -f ".s.png.tmp-$$-abcd" s.png

# ---- SIGKILL of process --overwrite at random instants: never two runs' files as one set
mkdir -p refA refB kill
start=$(date +%s%N)
"$GPRPROC" process "$SAMPLE" -r "$RECIPE_B" -o refB/OUT.h5 -q >/dev/null
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
"$GPRPROC" process "$SAMPLE" -r "$RECIPE_A" -o refA/OUT.h5 -q >/dev/null
cp refA/* kill/
# set_is_whole FOLDER STRICT: OUT.h5 and every file beside it are one run's
# (byte for byte that run's reference), or, only while a journal says a
# publish is under way (STRICT=0), OUT.h5 is away.
set_is_whole() {
  local d=$1 strict=$2 ref own other f
  if [ ! -e "$d/OUT.h5" ]; then
    if [ "$strict" = 0 ] && [ -e "$d/.OUT.h5.publish" ]; then return 0; fi
    echo "no OUT.h5 (journal: $(ls -A "$d" | grep publish))"; return 1
  fi
  if grep -aq run_a "$d/OUT.h5"; then ref=refA own=bg_a other=bg_b
  elif grep -aq run_b "$d/OUT.h5"; then ref=refB own=bg_b other=bg_a
  else echo "OUT.h5 of no known run"; return 1; fi
  for f in OUT_targets.csv OUT_targets.json OUT_raw.png OUT_migrated.png "OUT_$own.png"; do
    cmp -s "$ref/$f" "$d/$f" || { echo "$f is not of $ref's run"; return 1; }
  done
  [ ! -e "$d/OUT_$other.png" ] || { echo "OUT_$other.png of the other run beside $ref's OUT.h5"; return 1; }
  [ "$strict" = 0 ] || [ ! -e "$d/.OUT.h5.publish" ] || { echo "journal left"; return 1; }
}
whole=0; in_publish=0
for round in 1 2 3 4 5 6 7 8; do
  recipe=$RECIPE_B; [ $((round % 2)) -eq 0 ] && recipe=$RECIPE_A
  "$GPRPROC" process "$SAMPLE" -r "$recipe" -o kill/OUT.h5 --overwrite -q >/dev/null 2>&1 &
  pid=$!
  if [ $((round % 3)) -eq 0 ]; then
    # The instant the journal appears: inside the publish (renames in progress).
    while kill -0 "$pid" 2>/dev/null && [ ! -e kill/.OUT.h5.publish ]; do :; done
  else
    # A random instant in the second half of a run or after, where the writing is.
    delay_ms=$(( duration_ms / 2 + RANDOM % (duration_ms + 1) ))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  fi
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  [ -e kill/.OUT.h5.publish ] && in_publish=$((in_publish + 1))
  if why=$(set_is_whole kill 0); then whole=$((whole + 1)); else bad "SIGKILL round $round: $why" "$(ls -A kill)"; fi
  # The next run touching OUT.h5 (here a reader) completes an interrupted publish.
  "$GPRPROC" info kill/OUT.h5 >/dev/null 2>&1
  if ! why=$(set_is_whole kill 1); then bad "SIGKILL round $round, after the roll-forward: $why" "$(ls -A kill)"; fi
done
[ "$whole" -eq 8 ] && ok "SIGKILL at 8 random instants: never a mixed set ($in_publish kills inside a publish)"
"$GPRPROC" process "$SAMPLE" -r "$RECIPE_B" -o kill/OUT.h5 --overwrite -q >/dev/null
if why=$(set_is_whole kill 1); then ok "a full run after the kills publishes a whole set"; else bad "after the kills: $why"; fi
no_leftovers "after the kills and a full run" kill

# ---- SIGTERM and SIGINT during a write: temporaries removed, the exit says so (128 + signal)
interrupted=0
for round in 1 2 3 4; do
  signal=TERM expected=143; [ $((round % 2)) -eq 0 ] && signal=INT expected=130
  # A script's background job starts with SIGINT ignored; give it the default back.
  env --default-signal=INT "$GPRPROC" process "$SAMPLE" -r "$RECIPE_A" -o kill/OUT.h5 --overwrite -q \
    >/dev/null 2>"signal.log" &
  pid=$!
  delay_ms=$(( duration_ms / 2 + RANDOM % (duration_ms / 2 + 1) ))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -s "$signal" "$pid" 2>/dev/null; wait "$pid"; rc=$?
  if [ "$rc" -eq "$expected" ]; then
    interrupted=$((interrupted + 1))
    grep -q "interrupted by SIG$signal" signal.log || bad "SIG$signal round $round: no message" "$(cat signal.log)"
    left=$(leftovers kill)
    [ -z "$left" ] || bad "SIG$signal round $round: temporaries left: $left"
  elif [ "$rc" -ne 0 ]; then
    bad "SIG$signal round $round: exit $rc" "$(cat signal.log)"
  fi
  why=$(set_is_whole kill 0) || bad "SIG$signal round $round: $why" "$(ls -A kill)"
done
ok "SIGTERM/SIGINT during process: $interrupted of 4 interrupted (exit 143/130), no temporary left, the set whole"
rm -f signal.log

# ---- out of memory: a clear line and exit 6, no output (skipped where the build cannot run under a small ulimit -v)
if bash -c "ulimit -v 1500000; exec \"$GPRPROC\" --version" >/dev/null 2>&1; then
  check "out of memory"                   6 "error: out of memory"    -- bash -c "ulimit -v 1500000; exec \"$GPRPROC\" \
    migrate b.h5 --velocity 0.1m/ns --depth 0.4m --dz 0.001mm -o oom.h5 -q"
  absent "out of memory" oom.h5
else
  echo "skip out of memory: this build does not start under ulimit -v (a sanitizer build)"
fi

unchanged "all attacks"
no_leftovers "all attacks"
echo "outputs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
