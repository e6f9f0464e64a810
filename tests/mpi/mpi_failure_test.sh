#!/usr/bin/env bash
# A run failing on one rank of a distributed experiment ends the whole job promptly, non-zero,
# with a message naming the rank, the run and the month, and leaves no file under the final name
# (nor a temporary one: rank 0 removes it before aborting).
#
#   tests/mpi/mpi_failure_test.sh REGIONSIM RANKS [run|calibrate|shard]
#
# `shard` runs the experiment with --shard (every rank a shard of every run): the failure is
# injected on shard 1 only (REGIONSIM_TEST_FAIL_SHARD=1), while the other shards wait for it in
# a collective; the job must still end promptly.
#
# `calibrate` runs tests/mpi/calibration.toml instead of the experiment: run 1 (replicate 1) of
# its first evaluation fails, and no output file of the calibration may be left.
#
# The failure is injected with the test-only environment variable REGIONSIM_TEST_FAIL_RUN=R:M
# (engine/src/experiment_runner.hpp): run R throws at the start of month M, on whichever rank
# runs it.
set -euo pipefail
bin=$1
ranks=$2
command=${3:-run}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

start=$(date +%s)
status=0
# The second run (run 1, replicate 1; of the first evaluation for calibrate) fails at the start of month 3. `timeout` turns
# a hang into a failure of this test rather than of CTest's clock.
if [ "$command" = calibrate ]; then
  args=(calibrate "$here/calibration.toml" -o "$tmp/out")
  label=mpi-test
elif [ "$command" = shard ]; then
  args=(run --experiment "$here/experiment.toml" -o "$tmp/out.h5" --shard)
  label=baseline
  export REGIONSIM_TEST_FAIL_SHARD=1
else
  args=(run --experiment "$here/experiment.toml" -o "$tmp/out.h5")
  label=baseline
fi
REGIONSIM_TEST_FAIL_RUN=1:3 timeout 60 mpirun -n "$ranks" --oversubscribe -x REGIONSIM_TEST_FAIL_RUN \
  ${REGIONSIM_TEST_FAIL_SHARD:+-x REGIONSIM_TEST_FAIL_SHARD} \
  "$bin" "${args[@]}" --threads 1 >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
elapsed=$(($(date +%s) - start))
cat "$tmp/stderr"
[ "$status" -ne 0 ] || fail "the job exited 0"
[ "$status" -ne 124 ] || fail "the job hung (killed by timeout after 60 s)"
[ "$elapsed" -le 30 ] || fail "the job took $elapsed s to end"
grep -Eq "rank [0-9]+: run 1 '$label' \(replicate 1\) failed in month 3" "$tmp/stderr" ||
  fail "no message naming the rank, run 1 and month 3"
grep -q "REGIONSIM_TEST_FAIL_RUN" "$tmp/stderr" || fail "the cause is not in the message"
if [ "$command" = shard ]; then
  grep -Eq "rank 1: run 1 '$label' \(replicate 1\) failed in month 3 \(shard 1 of $ranks" \
    "$tmp/stderr" || fail "the message does not name shard 1, the one that failed"
fi
[ ! -e "$tmp/out.h5" ] || fail "a file under the final name"
left=$(find "$tmp" -name 'out*')
[ -z "$left" ] || fail "files left: $left"
echo "PASS: exit status $status after $elapsed s, no file left"
