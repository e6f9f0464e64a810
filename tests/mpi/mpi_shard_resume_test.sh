#!/usr/bin/env bash
# Per-shard checkpoints: a sharded run writing checkpoints (--shard --checkpoint-every) is killed
# right after its checkpoint of month 12 (test hook, every rank), and the same command with
# --resume on as many ranks continues every shard from its own checkpoint of the latest month
# all shards have into the one-process file, bit for bit, with no checkpoint left. Resuming on
# another number of ranks is refused first (exit 2, naming a checkpoint, nothing removed).
#
#   tests/mpi/mpi_shard_resume_test.sh REGIONSIM RANKS PYTHON [RANKS_PER_RUN]
#
# With RANKS_PER_RUN, instead: tests/mpi/experiment.toml (6 runs) in groups of RANKS_PER_RUN
# ranks, the group simulating run 5 killed after that run's checkpoint of month 12; --resume keeps
# the runs rank 0 had written, continues the others from their shards' checkpoints, and gives
# the one-process file.
set -euo pipefail
bin=$1
ranks=$2
python=${3:-/usr/bin/python3}
per_run=${4:-0}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

wait_for_partial_owner() {  # OUTPUT: until the process of OUTPUT.partial-PID is gone
  local partial pid
  for partial in "$1".partial-*; do
    [ -e "$partial" ] || continue
    pid=${partial##*-}
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  done
}

if [ "$per_run" -gt 0 ]; then
  experiment=(run --experiment "$here/experiment.toml" --steps 24 --set run.scale=0.03)
  "$bin" "${experiment[@]}" -o "$tmp/single.h5" --threads 2 >/dev/null 2>&1
  out=$tmp/groups.h5
  groups=("${experiment[@]}" -o "$out" --threads 1 --shard --ranks-per-run "$per_run"
    --checkpoint-every 6)
  status=0
  REGIONSIM_TEST_KILL_AFTER_CHECKPOINT=12:5 timeout 120 mpirun -n "$ranks" --oversubscribe \
    -x REGIONSIM_TEST_KILL_AFTER_CHECKPOINT "$bin" "${groups[@]}" >"$tmp/killed.out" 2>&1 ||
    status=$?
  [ "$status" -ne 0 ] || fail "the job with the kill hook completed"
  [ ! -e "$out" ] || fail "the killed job left its output under the final name"
  wait_for_partial_owner "$out"
  timeout 120 mpirun -n "$ranks" --oversubscribe "$bin" "${groups[@]}" --resume \
    >"$tmp/resumed.out" 2>&1 || {
    cat "$tmp/resumed.out"
    fail "the resumed job failed"
  }
  grep -Eq "run 5 continues from its checkpoints of month (6|12) \($per_run shards\)" \
    "$tmp/resumed.out" || {
    cat "$tmp/resumed.out"
    fail "run 5 did not continue from its shards' checkpoints"
  }
  "$python" "$here/compare_h5.py" "$tmp/single.h5" "$out"
  left=$(find "$tmp" -name '*.ckpt' -o -name '*partial*' -o -name '*incomplete*')
  [ -z "$left" ] || fail "files left: $left"
  echo "PASS: $ranks ranks in groups of $per_run killed and resumed give the one-process file" \
    "($(grep -o '[0-9]* of 6 runs kept' "$tmp/resumed.out" || true))"
  exit 0
fi

run=(run "$here/../../scenarios/joint-promotion.toml" --set run.scale=0.03 --steps 24)
"$bin" "${run[@]}" -o "$tmp/one.h5" --threads 2 >/dev/null 2>&1
out=$tmp/sharded.h5
sharded=("${run[@]}" -o "$out" --threads 1 --shard --check --checkpoint-every 6)

status=0
REGIONSIM_TEST_KILL_AFTER_CHECKPOINT=12 timeout 120 mpirun -n "$ranks" --oversubscribe \
  -x REGIONSIM_TEST_KILL_AFTER_CHECKPOINT "$bin" "${sharded[@]}" >"$tmp/killed.out" 2>&1 ||
  status=$?
[ "$status" -ne 0 ] || fail "the job with the kill hook completed"
[ ! -e "$out" ] || fail "the killed job left its output under the final name"
for ((s = 0; s < ranks; ++s)); do
  file=$out.month-0006.shard-$s-of-$ranks.ckpt
  [ "$ranks" -gt 1 ] || file=$out.month-0006.ckpt
  [ -f "$file" ] || fail "no checkpoint $file: $(ls "$tmp")"
done
# The killed ranks' processes end a moment after mpirun; --resume takes a partial file only once
# its process is gone.
wait_for_partial_owner "$out"

# Another layout: refused, nothing removed.
status=0
timeout 120 mpirun -n $((ranks + 1)) --oversubscribe "$bin" "${sharded[@]}" --resume \
  >"$tmp/other.out" 2>&1 || status=$?
[ "$status" -eq 2 ] || {
  cat "$tmp/other.out"
  fail "resuming on $((ranks + 1)) ranks: exit $status, expected 2"
}
grep -q "is of this run sharded over another number of processes; this job shards it over $((ranks + 1))" \
  "$tmp/other.out" || {
  cat "$tmp/other.out"
  fail "resuming on another layout: no message naming it"
}
[ -f "$out.month-0006.shard-0-of-$ranks.ckpt" ] || [ "$ranks" -eq 1 ] ||
  fail "the refused resume removed a checkpoint"

timeout 120 mpirun -n "$ranks" --oversubscribe "$bin" "${sharded[@]}" --resume \
  >"$tmp/resumed.out" 2>&1 || {
  cat "$tmp/resumed.out"
  fail "the resumed sharded run failed"
}
grep -Eq "run 0 continues from its checkpoints of month (6|12) \($ranks shards\)" \
  "$tmp/resumed.out" || {
  cat "$tmp/resumed.out"
  fail "the resumed run did not continue from its shards' checkpoints"
}
"$python" "$here/compare_h5.py" "$tmp/one.h5" "$out"
left=$(find "$tmp" -name '*.ckpt' -o -name '*partial*' -o -name '*incomplete*')
[ -z "$left" ] || fail "files left: $left"
echo "PASS: $ranks shard(s) killed after a checkpoint and resumed give the one-process file ($(grep -o 'checkpoints of month [0-9]*' "$tmp/resumed.out"))"
