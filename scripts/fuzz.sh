#!/bin/bash
# Fuzzes an input reader with libFuzzer for a fixed time (default 60 s, CI-sized):
#   scripts/fuzz.sh [SECONDS] [READER]     READER: scenario (default), experiment, calibration,
#                                          targets, checkpoint, or all (each for SECONDS)
# Builds build/fuzz with clang (REGIONSIM_FUZZ=ON: -fsanitize=fuzzer,address,undefined), seeds
# from the shipped files and bad-input tests of that kind, and keeps new interesting inputs in
# build/fuzz/corpus-READER. A crash leaves crash-* in build/fuzz/artifacts: copy it to the
# reader's corpus in tests/fuzz/ (corpus/ for scenarios, corpus-READER/ for the others) once
# fixed, so the ctest fuzz_corpus_replay / fuzz_replay_READER replays it in every normal build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
reader=${2:-scenario}
if [ "$reader" = all ]; then
  for r in scenario experiment calibration targets checkpoint; do bash "$0" "$seconds" "$r"; done
  exit 0
fi
case $reader in
  scenario) seed_dirs="scenarios tests/data tests/fuzz/corpus" ;;
  experiment) seed_dirs="scenarios/experiments tests/data/bad_experiments tests/fuzz/corpus-experiment" ;;
  calibration) seed_dirs="scenarios/calibration tests/data/bad_calibration tests/fuzz/corpus-calibration" ;;
  targets) seed_dirs="scenarios/targets tests/data/bad_targets tests/fuzz/corpus-targets" ;;
  checkpoint) seed_dirs="tests/fuzz/corpus-checkpoint" ;;
  *) echo "fuzz.sh: unknown reader '$reader' (scenario, experiment, calibration, targets, checkpoint, all)" >&2; exit 2 ;;
esac
build=build/fuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DREGIONSIM_FUZZ=ON \
  -DREGIONSIM_BUILD_TESTS=OFF -DREGIONSIM_BUILD_BENCH=OFF -DREGIONSIM_ASSERTS=ON >/dev/null
cmake --build "$build" --target "regionsim_fuzz_$reader" -j2
mkdir -p "$build/corpus-$reader" "$build/artifacts"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
pattern='*.toml'
max_len=65536
# Checkpoints are binary and larger (a state at scale 0.001 is about 100 kB).
if [ "$reader" = checkpoint ]; then pattern='*.ckpt'; max_len=262144; fi
for d in $seed_dirs; do
  find "$d" -type f -name "$pattern" -exec cp -t "$seeds" {} + 2>/dev/null || true
done
# The experiment and calibration readers resolve relative paths from the source root.
ASAN_OPTIONS=detect_leaks=0 "$build/regionsim_fuzz_$reader" "$build/corpus-$reader" "$seeds" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1
