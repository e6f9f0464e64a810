#!/usr/bin/python3
"""Where a lever's effect on output comes from: a shift-share decomposition of the paired
difference in output (lever - baseline, same replicate), month by month over zone x sector cells,
from a results file of scenarios/experiments/promotion-effects.toml (docs/policies.md,
"Measured effects").

    build/release/regionsim run --experiment scenarios/experiments/promotion-effects.toml -o out/pe.h5
    /usr/bin/python3 scripts/output_decomposition.py out/pe.h5

With E the employment and p = Y / E the output per worker of a cell c (zone x sector) in month t,
lever a and baseline b of the same replicate, the difference in output splits exactly into

    scale        (sum E_a - sum E_b) * P_b                      more or fewer jobs at the
                                                                 baseline's average productivity
    composition  sum_c (E_a,c - E_b,c) * (p_b,c - P_b)           jobs in cells that produce more
                                                                 (or less) per worker than average
    within       sum_c E_a,c * (p_a,c - p_b,c)                   each cell producing more per worker
                                                                 (and the output of cells with no
                                                                 employment left at month's end)

(P_b = sum Y_b / sum E_b), summed over the window (the lever's start month to the end). The
composition term is split again into a zone part (jobs moving between zones, at the zones' average
productivity) and the sector mix inside zones. Each term is reported in % of the baseline's output
over the window, mean and 90 % t interval over the replicates.
"""
import sys

import numpy as np
import xarray as xr
from scipy import stats

START = {"fair-competition": 43}
TERMS = ["total", "scale", "composition", "between zones", "sector mix", "within cells"]


def as_str(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def cells(ds, run, start):
    """Employment and output, (months, zones, sectors), over the window."""
    one = ds.isel(run=run).isel(time=slice(start, None))
    e = one.employment.transpose("time", "zone", "sector").values.astype(float)
    y = one.output.transpose("time", "zone", "sector").values.astype(float)
    return e, y


def per_worker(y, e):
    return np.divide(y, e, out=np.zeros_like(y), where=e > 0)


def decompose(ea, ya, eb, yb):
    """The terms of the module docstring, summed over months (yuan)."""
    pb = per_worker(yb, eb)
    tot_eb = eb.sum(axis=(1, 2))
    big_pb = yb.sum(axis=(1, 2)) / np.maximum(tot_eb, 1)  # per month
    scale = (ea.sum(axis=(1, 2)) - tot_eb) * big_pb
    composition = ((ea - eb) * (pb - big_pb[:, None, None])).sum(axis=(1, 2))
    # zones: jobs per zone at the zone's baseline output per worker
    ez_a, ez_b = ea.sum(axis=2), eb.sum(axis=2)
    pz_b = per_worker(yb.sum(axis=2), ez_b)
    between = ((ez_a - ez_b) * (pz_b - big_pb[:, None])).sum(axis=1)
    total = ya.sum() - yb.sum()
    # Output is produced during the month, employment counted at its end: a cell can produce with
    # no one left at the end (its firms exited or moved). The within term takes that output too,
    # so the terms add up exactly; it is a small part (the assert in main checks the sum only).
    within = total - ((ea - eb) * pb).sum()
    terms = {"total": total, "scale": scale.sum(), "composition": composition.sum(),
             "between zones": between.sum(), "sector mix": composition.sum() - between.sum(),
             "within cells": within.sum()}
    gap = total - (terms["scale"] + terms["composition"] + terms["within cells"])
    assert abs(gap) <= 1e-6 * max(1.0, abs(yb.sum())), f"decomposition does not add up: {gap}"
    return terms


def main(path):
    ds = xr.open_dataset(path)
    names = as_str(ds.scenario.values)
    runs = {(n, int(r)): i for i, (n, r) in enumerate(zip(names, ds.replicate.values))}
    levers = [n for n in dict.fromkeys(names) if n != "baseline"]
    print("Output difference, lever - baseline, in % of the baseline's output over the window "
          "(mean [90 % interval]):")
    print()
    print("| lever | " + " | ".join(TERMS) + " |")
    print("|---|" + "---|" * len(TERMS))
    for lever in levers:
        start = START.get(lever, 24)
        rows = []
        for (name, rep), r in runs.items():
            if name != lever:
                continue
            ea, ya = cells(ds, r, start)
            eb, yb = cells(ds, runs[("baseline", rep)], start)
            t = decompose(ea, ya, eb, yb)
            rows.append([100 * t[k] / yb.sum() for k in TERMS])
        d = np.array(rows)
        t90 = stats.t.ppf(0.95, len(d) - 1)
        half = t90 * d.std(axis=0, ddof=1) / np.sqrt(len(d))
        print(f"| {lever} | " + " | ".join(
            f"{m:+.2f} [{m - h:+.2f}, {m + h:+.2f}]" for m, h in zip(d.mean(axis=0), half)) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
