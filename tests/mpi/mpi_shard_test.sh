#!/usr/bin/env bash
# A sharded run (--shard: every rank holds a share of every run's people) gives the one-process
# file, bit for bit, with the accounting identities checked every month on every shard (--check),
# and every rank does its share: the closing table's people per rank are within 10 % of an equal
# split and every rank spent CPU time.
#
#   tests/mpi/mpi_shard_test.sh REGIONSIM RANKS THREADS_PER_RANK [PYTHON]
#
# Runs tests/mpi/experiment.toml (6 runs, arms sharing warm-ups in one process; each run from
# month 0 when sharded) and one larger single run, each once without mpirun (2 threads) and once
# under `mpirun -n RANKS --oversubscribe ... --shard`, and compares the files.
set -euo pipefail
bin=$1
ranks=$2
threads=$3
python=${4:-/usr/bin/python3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/regionsim-mpi-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() {
  echo "FAIL: $1" >&2
  exit 1
}

check_shares() {  # OUTPUT-OF-MPIRUN: one line per rank, people near total / ranks, CPU > 0
  "$python" - "$1" "$ranks" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ranks = int(sys.argv[2])
rows = re.findall(r"shard (\d+): (\d+) people, ([0-9.]+) s CPU, (\d+) bytes", text)
if len(rows) != ranks:
    sys.exit(f"FAIL: {len(rows)} shard lines for {ranks} ranks:\n{text}")
people = [int(r[1]) for r in rows]
mean = sum(people) / ranks
for shard, held, cpu, sent in rows:
    if abs(int(held) - mean) > 0.10 * mean:
        sys.exit(f"FAIL: shard {shard} holds {held} people, mean {mean:.0f}")
    if float(cpu) <= 0:
        sys.exit(f"FAIL: shard {shard} reports no CPU time")
    if ranks > 1 and int(sent) == 0:
        sys.exit(f"FAIL: shard {shard} sent nothing")
print("shares:", ", ".join(f"{p} people" for p in people))
PY
}

# The MPI tests' experiment: 6 runs with forks.
"$bin" run --experiment "$here/experiment.toml" -o "$tmp/single.h5" --threads 2 >/dev/null
mpirun -n "$ranks" --oversubscribe "$bin" run --experiment "$here/experiment.toml" \
  -o "$tmp/sharded.h5" --threads "$threads" --shard --check >"$tmp/sharded.out"
grep -q "Wrote $tmp/sharded.h5 (6 runs" "$tmp/sharded.out" || {
  cat "$tmp/sharded.out"
  fail "rank 0 did not report the file"
}
"$python" "$here/compare_h5.py" "$tmp/single.h5" "$tmp/sharded.h5"
check_shares "$tmp/sharded.out"

# One run of a few thousand people, a year and a half: every phase with real traffic.
run=(run "$here/../../scenarios/joint-promotion.toml" --set run.scale=0.03 --steps 18)
"$bin" "${run[@]}" -o "$tmp/one.h5" --threads 2 >/dev/null
mpirun -n "$ranks" --oversubscribe "$bin" "${run[@]}" -o "$tmp/one-sharded.h5" \
  --threads "$threads" --shard --check >"$tmp/one-sharded.out"
"$python" "$here/compare_h5.py" "$tmp/one.h5" "$tmp/one-sharded.h5"
check_shares "$tmp/one-sharded.out"
left=$(find "$tmp" -name '*partial*' -o -name '*incomplete*')
[ -z "$left" ] || fail "files left: $left"
echo "PASS: $ranks shard(s) x $threads thread(s) give the one-process files"
