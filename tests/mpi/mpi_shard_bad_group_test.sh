#!/usr/bin/env bash
# --ranks-per-run that does not divide the job's ranks is bad input: exit code 2, the message
# printed once (not once per rank), no file.
#
#   tests/mpi/mpi_shard_bad_group_test.sh REGIONSIM
set -euo pipefail
bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
status=0
timeout 60 mpirun -n 3 --oversubscribe "$bin" run --experiment "$here/experiment.toml" \
  -o "$tmp/out.h5" --threads 1 --shard --ranks-per-run 2 >"$tmp/stdout" 2>"$tmp/stderr" ||
  status=$?
cat "$tmp/stderr"
[ "$status" -eq 2 ] || fail "exit status $status, expected 2 (bad input)"
said=$(grep -c "expected a number of shards per run that divides the 3 ranks" "$tmp/stderr" || true)
[ "$said" -eq 1 ] || fail "the message was printed $said times, expected once"
[ -z "$(ls -A "$tmp" | grep -v -e stdout -e stderr)" ] || fail "files left: $(ls "$tmp")"
echo "PASS: exit 2, said once, no file"
