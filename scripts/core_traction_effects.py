#!/usr/bin/python3
"""Paired effect of core traction by zone (docs/policies.md, "Core traction — measured effect").

Runs the baseline and scenarios/core-traction.toml on the same seeds (replicate k of both arms
shares its draws) at small scale and prints, for output (total from the lever's start month to
the end), firms and employment (levels at the end), the paired difference lever minus baseline
by zone and for the region (and for the region: within-region promotion spending and induced
relocations over the window, the jurisdictions' combined budget at the end): mean, 90 % two-sided t interval over the replicates, and the
difference relative to the baseline mean.

    /usr/bin/python3 scripts/core_traction_effects.py build/release/regionsim [replicates] [scale]
        [--set key=value ...]   (overrides passed to the core-traction arm only)
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START = 24
STEPS = 120


def interval(d):
    d = np.asarray(d)
    half = stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return d.mean(), d.mean() - half, d.mean() + half


def measures(ds, i):
    one = ds.isel(run=i)
    window = one.isel(time=slice(START, None))
    return {"output": window.output.sum(("time", "sector")).values,
            "firms": one.firms.isel(time=-1).sum("sector").values,
            "employment": one.employment.isel(time=-1).sum("sector").values,
            "within": np.array([float(window.promotion_spending_within.sum())]),
            "induced": np.array([float(window.relocations_induced.sum())]),
            "budgets": np.array([float(one.budget.isel(time=-1).sum())])}


def main(binary, replicates, scale, overrides):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "ct.h5")
        lever = "scenarios/core-traction.toml"
        if overrides:  # a variant of the lever: a scenario extending it with the overrides
            lever = os.path.join(tmp, "core-traction.toml")
            with open(lever, "w") as f:
                f.write(f'extends = "{ROOT}/scenarios/core-traction.toml"\nname = "core-traction"\n')
                for o in overrides:
                    section, rest = o.split(".", 1)
                    f.write(f"[{section}]\n{rest.replace('=', ' = ', 1)}\n")
        subprocess.run([binary, "run", "scenarios/baseline.toml", lever,
                        "--replicates", str(replicates), "--steps", str(STEPS),
                        "--set", f"run.scale={scale}", "--threads", "2", "-o", out],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        ds = xr.open_dataset(out)
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in ds.scenario.values]
        index = {(n, int(r)): i for i, (n, r) in enumerate(zip(names, ds.replicate.values))}
        zones = [z.decode() if isinstance(z, bytes) else str(z) for z in ds.zone.values]
        base = [measures(ds, index[("baseline", k)]) for k in range(replicates)]
        lever = [measures(ds, index[("core-traction", k)]) for k in range(replicates)]
        print(f"core traction minus baseline, {replicates} paired replicates, scale {scale}, "
              f"months {START}-{STEPS - 1}")
        for metric in ("output", "firms", "employment", "within", "induced", "budgets"):
            by_zone = metric in ("output", "firms", "employment")
            for j, zone in enumerate(zones + ["region"] if by_zone else ["region"]):
                pick = (lambda m: m[metric].sum()) if zone == "region" else (lambda m: m[metric][j])
                d = [pick(lever[k]) - pick(base[k]) for k in range(replicates)]
                mean, low, high = interval(d)
                ref = np.mean([pick(b) for b in base])
                print(f"{metric:10s} {zone:7s} {mean:+10.1f} [{low:+.1f}, {high:+.1f}]  "
                      f"{100 * mean / ref:+.2f} % [{100 * low / ref:+.2f}, {100 * high / ref:+.2f}]")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--set"]
    sets = [a for a in args if "=" in a]
    args = [a for a in args if "=" not in a]
    main(args[0] if args else os.path.join(ROOT, "build/release/regionsim"),
         int(args[1]) if len(args) > 1 else 10, float(args[2]) if len(args) > 2 else 0.05, sets)
