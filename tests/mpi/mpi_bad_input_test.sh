#!/usr/bin/env bash
# Bad input under mpirun is reported once, not once per rank, with exit code 2, and leaves no file.
# Every rank reads the same scenario and fails the same way; rank 0 reports and ends the job, the
# others wait for that (engine/app/main.cpp, bad_input_prefix).
#
#   tests/mpi/mpi_bad_input_test.sh REGIONSIM RANKS
set -euo pipefail
bin=$1
ranks=$2
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
printf '[run]\nsteps = "twelve"\n' >"$tmp/bad.toml"
status=0
timeout 60 mpirun -n "$ranks" --oversubscribe "$bin" run "$tmp/bad.toml" -o "$tmp/out.h5" \
  --threads 1 >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
cat "$tmp/stderr"
[ "$status" -eq 2 ] || fail "exit status $status, expected 2"
count=$(grep -c "bad.toml" "$tmp/stderr" || true)
[ "$count" -eq 1 ] || fail "the message naming bad.toml was printed $count times, expected once"
grep -q "rank [1-9]" "$tmp/stderr" && fail "a rank other than 0 reported rank 0's error"
left=$(find "$tmp" -name 'out*')
[ -z "$left" ] || fail "files left: $left"
echo "PASS: one message for $ranks ranks, exit status 2"
