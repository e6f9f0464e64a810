#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the `regionsim` command line
# (release preset), runs the default experiment (scenarios/experiments/default.toml: the
# administrative baseline, separation and joint promotion, 10 paired replicates each at default
# scale), and writes the plots and an HTML report comparing the arms.
#
#   bash scripts/run-default.sh
#
# Results: out/default.h5 (netCDF-4/HDF5), out/plots/*.png, out/report.html and
# out/report-explorer.html.
# Re-running the demo REPLACES these on purpose (it passes --overwrite): they are demo results
# whose data the same experiment and seed reproduce bit for bit. Runs of your own never replace
# an existing file unless you pass --overwrite yourself.
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
say "running the default experiment -> out/default.h5 (replaces any earlier demo result)"
build/release/regionsim run --experiment scenarios/experiments/default.toml -o out/default.h5 --overwrite

export PYTHONPATH="$root/analysis${PYTHONPATH:+:$PYTHONPATH}"
say "final month by zone (mean over replicates)"
/usr/bin/python3 - <<'PY'
import regionsim
ds = regionsim.open("out/default.h5")
last = ds.isel(time=-1)
table = {
    "firms": last.firms.sum("sector"),
    "employed": last.talent_employed.sum("skill"),
    "seeking": last.talent_seeking.sum("skill"),
    "output/mo": last.output.sum("sector"),
    "wage k/mo": last.wage * 1e3,
    "rent /mo": last.rent * 1e6,
}
for scenario in ds.regionsim.scenarios:
    runs = last.sel(scenario=scenario).sizes["run"]
    print(f"\n{scenario} ({runs} replicates), {str(ds.time.values[-1])[:7]}")
    print(f"{'zone':8s}" + "".join(f"{name:>12s}" for name in table))
    for zone in ds.zone.values:
        cells = [float(v.sel(scenario=scenario, zone=zone).mean()) for v in table.values()]
        print(f"{zone:8s}" + "".join(f"{c:12.1f}" for c in cells))
print("\nOutput in million CNY per month; wage in thousand CNY per person per month; rent in CNY"
      "\nper worker place per month.")
PY
say "drawing plots -> out/plots"
/usr/bin/python3 -m regionsim plots out/default.h5 -o out/plots >/dev/null
say "writing the report -> out/report.html and its explorer -> out/report-explorer.html"
/usr/bin/python3 -m regionsim report out/default.h5 -o out/report.html >/dev/null

trap - ERR
cat <<EOF

Done.
  results: $root/out/default.h5   (one file: every arm and replicate along the run dimension)
  plots:   $root/out/plots/
  report:  $root/out/report.html  (key findings, paired differences to the baseline with 90%
           intervals and verdicts, over the post-reform period and the last 12 months)
  explore: $root/out/report-explorer.html  (interactive: any variable, zone, arms, window)
Compare arms in Python (Debian's interpreter, which has xarray and h5py):
  PYTHONPATH=analysis /usr/bin/python3 -c 'import regionsim; ds = regionsim.open("out/default.h5"); print(regionsim.compare(ds, "theil_output", months="year5").paired)'
or look at the header with: ncdump -h out/default.h5   (ncdump comes with: scripts/bootstrap.sh test)
EOF
