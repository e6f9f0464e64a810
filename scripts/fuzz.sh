#!/bin/bash
# Fuzzes the scenario loader with libFuzzer for a fixed time (default 60 s, CI-sized):
#   scripts/fuzz.sh [SECONDS]
# Builds build/fuzz with clang (REGIONSIM_FUZZ=ON: -fsanitize=fuzzer,address,undefined), seeds
# from scenarios/ and tests/data/, and keeps new interesting inputs in build/fuzz/corpus. A crash
# leaves crash-* in build/fuzz/artifacts: copy it to tests/fuzz/corpus/ once fixed, so the
# ctest fuzz_corpus_replay replays it in every normal build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=build/fuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DREGIONSIM_FUZZ=ON \
  -DREGIONSIM_BUILD_TESTS=OFF -DREGIONSIM_BUILD_BENCH=OFF -DREGIONSIM_ASSERTS=ON >/dev/null
cmake --build "$build" --target regionsim_fuzz_scenario -j2
mkdir -p "$build/corpus" "$build/artifacts"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
find scenarios tests/data tests/fuzz/corpus -type f -name '*.toml' -exec cp -t "$seeds" {} + 2>/dev/null || true
cp tests/fuzz/corpus/* "$seeds" 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 "$build/regionsim_fuzz_scenario" "$build/corpus" "$seeds" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1
