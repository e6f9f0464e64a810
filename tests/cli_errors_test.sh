#!/bin/bash
# The command line's error paths, driven as a user would: every case ends with its exit code and
# one clear message, never a crash (tests/CMakeLists.txt: cli_error_paths). Usage: BIN
set -u
bin=$1
dir=$(mktemp -d /tmp/regionsim-cli.XXXXXX)
trap 'rm -rf "$dir"' EXIT
scenario=tests/data/good/minimal.toml
small=(--steps 3 --set run.scale=0.2)
failures=0

# expect CODE PATTERN -- ARGS...: runs the binary, checks the exit code and that stderr matches.
expect() {
  local code=$1 pattern=$2
  shift 3
  "$bin" "$@" >"$dir/out" 2>"$dir/err"
  local got=$?
  if [ "$got" != "$code" ] || ! grep -qE -- "$pattern" "$dir/err"; then
    echo "FAIL: regionsim $* -> exit $got (expected $code, stderr matching '$pattern'):"
    cat "$dir/err"
    failures=$((failures + 1))
  fi
}

# --- Threads -----------------------------------------------------------------------------------
expect 2 "--threads 100000: expected at most [0-9]+" -- run "$scenario" "${small[@]}" --threads 100000 -o "$dir/t.h5"
# Every command checks --threads the same way (cli_options.cpp), before reading its input.
expect 2 "--threads 100000: expected at most [0-9]+" -- resume "$dir/none.ckpt" --threads 100000
expect 2 "--threads 100000: expected at most [0-9]+" -- calibrate scenarios/calibration/baseline-2022.toml --threads 100000 -o "$dir/cal"
expect 2 "--threads: expected 0 \(all cores\) or a positive count" -- calibrate scenarios/calibration/baseline-2022.toml --threads=-1 -o "$dir/cal"

# --- Resources, estimated before anything is allocated ------------------------------------------
expect 2 "agents per run" -- run scenarios/baseline.toml --set zone.core.initial_firms=1e8 --set run.scale=100 -o "$dir/huge.h5"
expect 2 "more than the limit of .* \(--max-memory\)" -- run "$scenario" "${small[@]}" --max-memory 0.000001 -o "$dir/m.h5"

# --- Output paths, refused before any month is simulated ----------------------------------------
expect 2 "output path is empty" -- run "$scenario" "${small[@]}" -o ""
expect 2 "names a directory" -- run "$scenario" "${small[@]}" -o "$dir/sub/"
mkdir "$dir/adir"
expect 2 "is a directory" -- run "$scenario" "${small[@]}" -o "$dir/adir" --overwrite
expect 2 "is a character device" -- run "$scenario" "${small[@]}" -o /dev/null --overwrite
cp "$scenario" "$dir/input.toml"
expect 2 "is the input file" -- run "$dir/input.toml" "${small[@]}" -o "$dir/input.toml" --overwrite
cmp -s "$scenario" "$dir/input.toml" || { echo "FAIL: the input was replaced"; failures=$((failures + 1)); }
ln -s "$dir/nowhere.h5" "$dir/dangling.h5"
expect 2 "dangling symbolic link" -- run "$scenario" "${small[@]}" -o "$dir/dangling.h5"
touch "$dir/afile"
expect 2 "cannot create the directory" -- run "$scenario" "${small[@]}" -o "$dir/afile/x.h5"
expect 2 "name '\.\./\.\./escape': contains '/'" -- run "$scenario" "${small[@]}" --set 'name=../../escape'
expect 2 "contains a control character" -- run "$scenario" "${small[@]}" --set $'name=a\nb' -o "$dir/n.h5"

# --- Inputs -------------------------------------------------------------------------------------
expect 2 "gives the value 2 twice" -- run "$scenario" "${small[@]}" --sweep talent.beta_wage=2,2 -o "$dir/s.h5"
expect 2 "from 1678 to 2261" -- validate "$scenario" --set run.start_date=1500-01-01
expect 2 "ends after 2262-03" -- validate "$scenario" --set run.start_date=2250-01-01 --set run.steps=400
expect 2 'formula = "fixed" with weights summing to 0' -- validate "$scenario" --set tax_sharing.formula=fixed
printf 'extends = "%s"\n[talent]\nbeta_wage = -99\n' "$PWD/$scenario" >"$dir/hidden.toml"
expect 2 "beta_wage" -- validate "$dir/hidden.toml" --set talent.beta_wage=3

# --- Stale partial files -------------------------------------------------------------------------
touch "$dir/r.h5.partial-999999999"
expect 0 "left by a process that no longer runs" -- run "$scenario" "${small[@]}" -o "$dir/r.h5"
touch "$dir/r3.h5.partial-999999999"
expect 0 "removed" -- run "$scenario" "${small[@]}" -o "$dir/r3.h5" --clean-partial
[ -e "$dir/r3.h5.partial-999999999" ] && { echo "FAIL: --clean-partial left the stale file"; failures=$((failures + 1)); }

# --- A full disk (here: the file size limit) ends with a message, not a crash -----------------
(
  ulimit -f 40
  trap '' XFSZ
  exec "$bin" run "$scenario" --steps 12 --no-compress -o "$dir/full.h5"
) >/dev/null 2>"$dir/err"
code=$?
if [ "$code" != 1 ] || ! grep -q "regionsim: error:" "$dir/err" || [ -e "$dir/full.h5" ]; then
  echo "FAIL: a failed write gave exit $code:"; cat "$dir/err"; failures=$((failures + 1))
fi
ls "$dir"/full.h5.partial-* >/dev/null 2>&1 && { echo "FAIL: a failed write left its partial file"; failures=$((failures + 1)); }

# --- SIGINT, SIGTERM, SIGHUP stop at a month boundary, keep an incomplete file -----------------
for sig in INT TERM HUP; do
  rm -f "$dir/long.h5" "$dir/long.incomplete.h5"
  "$bin" run scenarios/baseline.toml --steps 600 --threads 1 -o "$dir/long.h5" >/dev/null 2>"$dir/err" &
  pid=$!
  sleep 2
  kill -s "$sig" "$pid"
  wait "$pid"
  code=$?
  num=$(kill -l "$sig")
  if [ "$code" != $((128 + num)) ] || ! grep -q "interrupted by SIG$sig" "$dir/err" ||
    [ -e "$dir/long.h5" ] || [ ! -f "$dir/long.incomplete.h5" ]; then
    echo "FAIL: SIG$sig gave exit $code:"; cat "$dir/err"; failures=$((failures + 1))
  fi
done
/usr/bin/python3 - "$dir/long.incomplete.h5" <<'PY' || failures=$((failures + 1))
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    attr = lambda k: f.attrs[k].decode() if isinstance(f.attrs[k], bytes) else str(f.attrs[k])
    assert attr("complete") == "false", attr("complete")
    assert attr("interrupted_by") == "SIGHUP"
    done = int(attr("months_done"))
    assert 0 < done < 600, done
    print("incomplete file: complete = false, months_done =", done)
PY

# --- An interrupted experiment resumed with --resume: finished runs kept, data identical ---------
exp=(run scenarios/baseline.toml scenarios/separation.toml --replicates 2 --steps 48 --threads 2)
"$bin" "${exp[@]}" -o "$dir/full.h5" >"$dir/full.txt" 2>/dev/null
"$bin" "${exp[@]}" -o "$dir/e.h5" >/dev/null 2>&1 &
pid=$!
sleep 3
kill -s INT "$pid"
wait "$pid"
code=$?
if [ "$code" = 130 ]; then
  expect 2 "has another seed or scenario" -- "${exp[@]}" --set run.scale=0.9 -o "$dir/e.h5" --resume
  expect 0 "runs kept from" -- "${exp[@]}" -o "$dir/e.h5" --resume
  [ -e "$dir/e.incomplete.h5" ] && { echo "FAIL: --resume left the incomplete file"; failures=$((failures + 1)); }
  /usr/bin/python3 - "$dir/full.h5" "$dir/e.h5" <<'PY' || failures=$((failures + 1))
import sys, h5py
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
n = 0
for name, d in a.items():
    if isinstance(d, h5py.Dataset) and d.ndim >= 2 and len(d.dims[1]) and d.dims[1][0].name == "/time":
        assert d[()].tobytes() == b[name][()].tobytes(), name
        n += 1
assert n > 20 and b.attrs["complete"] in (b"true", "true")
print(f"resumed experiment: {n} time series identical to the uninterrupted run")
PY
else
  echo "note: the experiment ended (exit $code) before SIGINT; resume not exercised"
fi

[ "$failures" = 0 ] && echo "all command-line error paths behave" || echo "$failures failures"
exit $((failures > 0))
