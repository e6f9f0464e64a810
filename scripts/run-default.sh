#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the `regionsim` command line
# (release preset), runs the administrative-baseline scenario and draws quick-look plots.
#
#   bash scripts/run-default.sh
#
# Results: out/baseline.h5 (netCDF-4/HDF5) and out/plots/*.png.
# Re-running the demo REPLACES out/baseline.h5 on purpose (it passes --overwrite): the file is a
# demo result whose data the same scenario and seed reproduce bit for bit. Runs of your own never
# replace an existing file unless you pass --overwrite yourself.
set -Eeuo pipefail  # -E: the ERR trap below also fires inside functions

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

step="(starting)"
trap 'echo "run-default.sh: FAILED while: $step" >&2' ERR
say() {
  step=$1
  echo "==> $1"
}

say "checking Debian packages (scripts/bootstrap.sh run)"
bash scripts/bootstrap.sh run

if [ -f build/release/CMakeCache.txt ] && [ -f build/release/Makefile ]; then
  step="using the existing configuration in build/release"
else
  say "configuring (cmake --preset release)"
  cmake --preset release
fi

njobs=$(nproc 2>/dev/null || echo 2)
say "building regionsim (cmake --build --preset release --target regionsim -j$njobs)"
cmake --build --preset release --target regionsim --parallel "$njobs"

mkdir -p out
say "running scenarios/baseline.toml -> out/baseline.h5 (replaces any earlier demo result)"
build/release/regionsim run scenarios/baseline.toml -o out/baseline.h5 --overwrite

say "drawing plots -> out/plots"
PYTHONPATH="$root/analysis${PYTHONPATH:+:$PYTHONPATH}" \
  /usr/bin/python3 -m regionsim.quicklook out/baseline.h5 -o out/plots

trap - ERR
cat <<EOF

Done.
  results: $root/out/baseline.h5
  plots:   $root/out/plots/
Open the results in Python (Debian's interpreter, which has xarray and h5py):
  PYTHONPATH=analysis /usr/bin/python3 -c 'import regionsim; print(regionsim.open("out/baseline.h5"))'
or look at the header with: ncdump -h out/baseline.h5   (ncdump comes with: scripts/bootstrap.sh test)
EOF
