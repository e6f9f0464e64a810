#!/usr/bin/env bash
# Per-shard checkpoints: a sharded run writing checkpoints (--shard --checkpoint-every) is killed
# right after its checkpoint of month 12 (test hook, every rank). The same command with --resume
# on one rank more re-splits the checkpoints (every shard reads all of them and keeps its own
# firms and people), and on as many ranks every shard continues from its own checkpoint of the latest month
# all shards have: both give the one-process file, bit for bit, and leave no checkpoint of either
# layout.
#
#   tests/mpi/mpi_shard_resume_test.sh REGIONSIM RANKS PYTHON [RANKS_PER_RUN]
#
# With RANKS_PER_RUN, instead: tests/mpi/experiment.toml (6 runs, 36 months) in groups of
# RANKS_PER_RUN ranks, the group simulating run 5 killed after that run's checkpoint of month 30; --resume on
# 2 ranks in groups of 1 keeps the runs rank 0 had written, continues the others from their
# shards' checkpoints (re-split into one shard), gives the one-process file and leaves no
# checkpoint.
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
  # 36 months: the separation arms fork from their baseline roots at month 24 (its start_month),
  # so run 5 (an arm) writes checkpoints of its own at months 27, 30 and 33.
  experiment=(run --experiment "$here/experiment.toml" --steps 36 --set run.scale=0.03)
  "$bin" "${experiment[@]}" -o "$tmp/single.h5" --threads 2 >/dev/null 2>&1
  out=$tmp/groups.h5
  groups=("${experiment[@]}" -o "$out" --threads 1 --shard --ranks-per-run "$per_run"
    --checkpoint-every 3)
  status=0
  REGIONSIM_TEST_KILL_AFTER_CHECKPOINT=30:5 timeout 120 mpirun -n "$ranks" --oversubscribe \
    -x REGIONSIM_TEST_KILL_AFTER_CHECKPOINT "$bin" "${groups[@]}" >"$tmp/killed.out" 2>&1 ||
    status=$?
  [ "$status" -ne 0 ] || fail "the job with the kill hook completed"
  [ ! -e "$out" ] || fail "the killed job left its output under the final name"
  wait_for_partial_owner "$out"
  # Resumed as 2 groups of 1 rank: run 5's checkpoints are re-split (into one shard).
  resumed=("${experiment[@]}" -o "$out" --threads 1 --shard --ranks-per-run 1
    --checkpoint-every 3)
  timeout 120 mpirun -n 2 --oversubscribe "$bin" "${resumed[@]}" --resume \
    >"$tmp/resumed.out" 2>&1 || {
    cat "$tmp/resumed.out"
    fail "the resumed job failed"
  }
  grep -Eq "run 5 continues from the checkpoints of month (27|30) written by $per_run shard\(s\), re-split over 1" \
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

mkdir "$tmp/saved"
cp "$out".*.ckpt "$tmp/saved/"

resume_and_compare() {  # RANKS EXPECTED-LINE: --resume on RANKS ranks gives the one-process file
  timeout 120 mpirun -n "$1" --oversubscribe "$bin" "${sharded[@]}" --resume \
    >"$tmp/resumed.out" 2>&1 || {
    cat "$tmp/resumed.out"
    fail "the sharded run resumed on $1 ranks failed"
  }
  grep -Eq "$2" "$tmp/resumed.out" || {
    cat "$tmp/resumed.out"
    fail "resumed on $1 ranks: no line matching '$2'"
  }
  "$python" "$here/compare_h5.py" "$tmp/one.h5" "$out"
  left=$(find "$tmp" -maxdepth 1 -name '*.ckpt' -o -maxdepth 1 -name '*partial*' -o \
    -maxdepth 1 -name '*incomplete*')
  [ -z "$left" ] || fail "files left after resuming on $1 ranks: $left"
}

# On another number of ranks: every shard reads the whole set and keeps its own firms and people.
resume_and_compare $((ranks + 1)) \
  "run 0 continues from the checkpoints of month (6|12) written by $ranks shard\(s\), re-split over $((ranks + 1))"
# On the same number: every shard continues from its own.
rm "$out"
cp "$tmp/saved/"*.ckpt "$tmp/"
resume_and_compare "$ranks" "run 0 continues from its checkpoints of month (6|12) \($ranks shards\)"
echo "PASS: $ranks shard(s) killed after a checkpoint and resumed give the one-process file ($(grep -o 'checkpoints of month [0-9]*' "$tmp/resumed.out"))"
