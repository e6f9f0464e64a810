#!/usr/bin/python3
"""The "Measured effects" table of docs/policies.md: paired differences (lever - baseline, same
replicate) with 90 % t intervals, from a results file of scenarios/experiments/promotion-effects.toml.

    build/release/regionsim run --experiment scenarios/experiments/promotion-effects.toml -o out/pe.h5
    /usr/bin/python3 scripts/promotion_effects.py out/pe.h5

Window: from the lever's start month (24; fair competition 43) to the end of the run. Subsidies
within the region and induced relocations are totals over the window; firms and budgets are the
stocks at the end (budgets summed over jurisdictions); output is the total over the window.
"""
import sys

import numpy as np
import xarray as xr
from scipy import stats

START = {"fair-competition": 43}
METRICS = [
    ("within-region subsidies, mCNY", "within", False),
    ("all promotion spending, mCNY", "spending", False),
    ("induced relocations", "induced", False),
    ("firms at end, %", "firms", True),
    ("output, %", "output", True),
    ("budgets at end, mCNY", "budget", False),
]


def as_str(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def metrics(ds, run, start):
    one = ds.isel(run=run)
    win = one.isel(time=slice(start, None))
    return {
        "within": float(win.promotion_spending_within.sum()),
        "spending": float(win.subsidies_paid.sum()),
        "induced": float(win.relocations_induced.sum()),
        "firms": float(one.firms.isel(time=-1).sum()),
        "output": float(win.output.sum()),
        "budget": float(one.budget.isel(time=-1).sum()),
    }


def main(path):
    ds = xr.open_dataset(path)
    names = as_str(ds.scenario.values)
    reps = ds.replicate.values
    runs = {}
    for r, (name, rep) in enumerate(zip(names, reps)):
        runs[(name, int(rep))] = r
    levers = [n for n in dict.fromkeys(names) if n != "baseline"]
    t90 = stats.t.ppf(0.95, len(set(int(x) for x in reps)) - 1)
    print("| lever | " + " | ".join(m[0] for m in METRICS) + " |")
    print("|---|" + "---|" * len(METRICS))
    for lever in levers:
        start = START.get(lever, 24)
        diffs = {key: [] for _, key, _ in METRICS}
        bases = {key: [] for _, key, _ in METRICS}
        for (name, rep), r in runs.items():
            if name != lever:
                continue
            a = metrics(ds, r, start)
            b = metrics(ds, runs[("baseline", rep)], start)
            for _, key, _ in METRICS:
                diffs[key].append(a[key] - b[key])
                bases[key].append(b[key])
        cells = []
        for _, key, pct in METRICS:
            d = np.array(diffs[key])
            if pct:
                d = 100 * d / np.mean(bases[key])
            half = t90 * d.std(ddof=1) / np.sqrt(len(d))
            cells.append(f"{d.mean():+.3g} [{d.mean() - half:+.3g}, {d.mean() + half:+.3g}]")
        print(f"| {lever} | " + " | ".join(cells) + " |")
    base = [metrics(ds, r, 24) for (n, _), r in runs.items() if n == "baseline"]
    print()
    print("Baseline means (months 24-119): " + ", ".join(
        f"{key} {np.mean([b[key] for b in base]):.4g}" for _, key, _ in METRICS))


if __name__ == "__main__":
    main(sys.argv[1])
