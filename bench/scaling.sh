#!/usr/bin/env bash
# Kept for old command lines: the scaling driver is bench/scaling.py (see its --help).
# Usage: bench/scaling.sh [BUILD_DIR] [SCALES] [THREADS] [STEPS]
#   e.g. bench/scaling.sh build/release "0.16 1.6 16" "1 2" 60
set -euo pipefail
cd "$(dirname "$0")/.."
args=(--build "${1:-build/release}")
[ -n "${2:-}" ] && args+=(--scales $2)
[ -n "${3:-}" ] && args+=(--threads $3)
[ -n "${4:-}" ] && args+=(--steps "$4")
exec /usr/bin/python3 bench/scaling.py "${args[@]}"
