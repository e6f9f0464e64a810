#!/usr/bin/env bash
# A distributed experiment's file equals the one-process file (tests/mpi/compare_h5.py lists the
# attributes that may differ: clock times, command line, threads).
#
#   tests/mpi/mpi_experiment_test.sh REGIONSIM RANKS [PYTHON]
#
# Runs tests/mpi/experiment.toml once without mpirun (2 threads) and once under
# `mpirun -n RANKS --oversubscribe` (1 thread per rank) and compares the two files.
set -euo pipefail
bin=$1
ranks=$2
python=${3:-/usr/bin/python3}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# mpirun refuses root without these (containers, CI); harmless otherwise.

"$bin" run --experiment "$here/experiment.toml" -o "$tmp/single.h5" --threads 2 >/dev/null
mpirun -n "$ranks" --oversubscribe "$bin" run --experiment "$here/experiment.toml" \
  -o "$tmp/mpi.h5" --threads 1 >"$tmp/mpi.out"
grep -q "Wrote $tmp/mpi.h5 (6 runs" "$tmp/mpi.out" || {
  cat "$tmp/mpi.out"
  echo "FAIL: rank 0 did not report the file" >&2
  exit 1
}
"$python" "$here/compare_h5.py" "$tmp/single.h5" "$tmp/mpi.h5"
# Only the final file: no temporary file of any rank is left.
left=$(find "$tmp" -name '*partial*' -o -name '*incomplete*')
[ -z "$left" ] || {
  echo "FAIL: files left: $left" >&2
  exit 1
}
echo "PASS: $ranks rank(s) give the one-process file"
