#!/usr/bin/env bash
# A distributed calibration's outputs equal the one-process outputs: the fitted scenario and the
# fit table byte for byte (but for the line recording the command, whose --threads differs), the
# evaluations file by tests/mpi/compare_h5.py (clock times, command line and threads ignored).
#
#   tests/mpi/mpi_calibration_test.sh REGIONSIM RANKS [THREADS_PER_RANK] [PYTHON]
#
# Runs tests/mpi/calibration.toml (2 parameters, 3 replicates, 2 starts, 14 evaluations) once
# without mpirun (2 threads) and once under `mpirun -n RANKS --oversubscribe`, each in a
# directory of its own with the same relative output prefix, so the paths in the outputs agree.
set -euo pipefail
bin=$1
ranks=$2
threads=${3:-1}
python=${4:-/usr/bin/python3}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mkdir "$tmp/single" "$tmp/mpi"
(cd "$tmp/single" && "$bin" calibrate "$here/calibration.toml" -o fit --threads 2 \
  >stdout 2>stderr) || {
  cat "$tmp/single/stderr"
  fail "the one-process calibration failed"
}
(cd "$tmp/mpi" && mpirun -n "$ranks" --oversubscribe "$bin" calibrate "$here/calibration.toml" \
  -o fit --threads "$threads" >stdout 2>stderr) || {
  cat "$tmp/mpi/stderr"
  fail "the calibration under mpirun -n $ranks failed"
}
# The search ran (14 evaluations, both starts) and reported once, from rank 0 alone.
grep -q "^eval 14 (start 2)" "$tmp/single/stderr" ||
  fail "the one-process search did not reach 14 evaluations over 2 starts"
[ "$(grep -c "^eval " "$tmp/mpi/stderr")" -eq 14 ] || {
  cat "$tmp/mpi/stderr"
  fail "expected 14 progress lines (rank 0 only)"
}
[ "$(grep -c '^Wrote ' "$tmp/mpi/stdout")" -eq 1 ] || fail "expected one 'Wrote' line (rank 0 only)"
# The progress lines without their clock (the last field) are the same.
diff <(sed 's/ [0-9]* s$//' "$tmp/single/stderr" | grep '^eval') \
  <(sed 's/ [0-9]* s$//' "$tmp/mpi/stderr" | grep '^eval') || fail "the searches differ"
for f in fit.toml fit-fit.txt; do
  diff <(grep -v 'regionsim calibrate' "$tmp/single/$f") <(grep -v 'regionsim calibrate' "$tmp/mpi/$f") ||
    fail "$f differs"
done
"$python" "$here/compare_h5.py" "$tmp/single/fit.h5" "$tmp/mpi/fit.h5"
left=$(find "$tmp" -name '*partial*')
[ -z "$left" ] || fail "files left: $left"
echo "PASS: $ranks rank(s) x $threads thread(s) give the one-process calibration"
