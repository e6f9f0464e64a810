#!/usr/bin/env bash
# Scaling driver: times whole CLI runs of the baseline over scales and thread counts and appends
# one CSV row per run to bench/results/<host>-scaling.csv (machine, date, scale, threads, months,
# agents, wall seconds, agent-months per second).
# Usage: bench/scaling.sh [BUILD_DIR] [SCALES] [THREADS] [STEPS]
#   e.g. bench/scaling.sh build/release "0.25 1 4" "1 2" 60
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
scales=${2:-"0.25 1 4"}
threads=${3:-"1 $(nproc)"}
steps=${4:-60}
bin="$build/regionsim"
[ -x "$bin" ] || { echo "scaling.sh: $bin not built (cmake --preset release && cmake --build build/release)" >&2; exit 1; }
mkdir -p bench/results
csv="bench/results/$(hostname)-scaling.csv"
[ -f "$csv" ] || echo "machine,cpus,date,scale,threads,months,agents,wall_s,agent_months_per_s" >"$csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//; s/,/ /g')
for scale in $scales; do
  for t in $threads; do
    out="$tmp/run.h5"
    rm -f "$out"
    start=$(date +%s.%N)
    "$bin" run scenarios/baseline.toml -o "$out" --steps "$steps" --threads "$t" --set "run.scale=$scale" >"$tmp/log"
    end=$(date +%s.%N)
    agents=$(/usr/bin/python3 -c "import h5py,sys; f=h5py.File(sys.argv[1]); print(int(f['talent_employed'][0,-1].sum()+f['talent_seeking'][0,-1].sum()+f['firms'][0,-1].sum()))" "$out")
    wall=$(/usr/bin/python3 -c "print($end - $start)")
    rate=$(/usr/bin/python3 -c "print($agents * $steps / $wall)")
    printf '%s,%s,%s,%s,%s,%s,%s,%.3f,%.0f\n' "$cpu" "$(nproc)" "$(date -u +%F)" "$scale" "$t" "$steps" "$agents" "$wall" "$rate" | tee -a "$csv"
  done
done
