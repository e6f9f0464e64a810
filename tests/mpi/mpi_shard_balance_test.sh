#!/usr/bin/env bash
# Rank groups take roots as they become free (rank 0 hands them out): with one run some 100 times
# as costly as the five others, the group that gets it (usually group 0: rank 0 takes the first
# run unless the other group asked first) simulates only that one or two, the other group the
# rest (a fixed round-robin would give each group three). The file is still the one-process file.
#
# 2 ranks in groups of 1: with 4 ranks on 2 cores, a group of 2 waits for the scheduler in each
# of its exchanges, which makes the small runs as slow as the large one.
#
#   tests/mpi/mpi_shard_balance_test.sh REGIONSIM [PYTHON]
set -euo pipefail
bin=$1
python=${2:-/usr/bin/python3}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Run 0 at scale 2, runs 1-5 at 0.002-0.006: one sweep point per run, in this order.
design=(run "$here/../../scenarios/baseline.toml" --steps 24
  --sweep run.scale=2,0.002,0.003,0.004,0.005,0.006)
"$bin" "${design[@]}" -o "$tmp/single.h5" --threads 2 >/dev/null 2>&1
timeout 120 mpirun -n 2 --oversubscribe "$bin" "${design[@]}" -o "$tmp/groups.h5" --threads 1 \
  --shard --ranks-per-run 1 >"$tmp/groups.out" 2>&1 || {
  cat "$tmp/groups.out"
  fail "the sharded job failed"
}
"$python" "$here/compare_h5.py" "$tmp/single.h5" "$tmp/groups.h5"
"$python" - "$tmp/groups.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
runs = {}
for group, count in re.findall(r"rank \d+ \(group (\d+), shard 0\): (\d+) runs", text):
    runs[int(group)] = int(count)
if sorted(runs) != [0, 1] or sum(runs.values()) != 6:
    sys.exit(f"FAIL: runs per group {runs}, expected 6 runs over groups 0 and 1:\n{text}")
if max(runs.values()) < 4:
    sys.exit(f"FAIL: runs per group {runs}: the costly run did not free the other group "
             f"(a fixed split gives 3 and 3)")
print(f"PASS: runs per group {runs} (one group took the costly run 0, the other the rest)")
PY
