#!/usr/bin/python3
"""Paired policy-sign test (issue 8): the signs docs/policies.md ("Expected directions, written
down before the runs") predicts for subsidies within the region and subsidy-induced relocations,
checked on paired replicates at tiny scale.

Each lever runs against the baseline on the same seeds (replicate k of every arm shares its
draws); the statistic is the paired difference, lever minus baseline, of the total over the window
from the lever's start month to the end (firms: the level at the end). Stated confidence: a
predicted `−` or `→0` holds when the 90 % two-sided t interval of the mean difference lies below
zero (a one-sided 95 % test), a `+` when it lies above zero; a predicted `0/−` is contradicted
only when the interval lies wholly above zero, a `0/+` only when it lies wholly below.

A `→0` is checked as `−` on the window's totals: contracts signed before the start keep paying.

Exceptions are listed with their numbers in docs/policies.md ("Paired sign tests") and kept as
such, never flipped silently: an *expected contradiction* (measured on the wrong side) must still
contradict, and an *expected unresolved* case (right sign, interval across zero at 10 replicates)
must not contradict; either fails with a request to update the docs when it changes.

    /usr/bin/python3 tests/policy/policy_signs.py build/release/regionsim
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPLICATES = 30
STEPS = 120
SCALE = 0.05

# arm: (scenario file, start month, {metric: predicted sign})
ARMS = {
    "tax-sharing": ("scenarios/tax-sharing.toml", 24, {"within": "-", "induced": "-"}),
    "statistics-sharing": ("scenarios/statistics-sharing.toml", 24,
                           {"within": "-", "induced": "-"}),
    "separation": ("scenarios/separation.toml", 24, {"within": "->0", "induced": "->0"}),
    "integrated-assessment": ("scenarios/integrated-assessment.toml", 24,
                              {"within": "-", "induced": "-"}),
    "fair-competition": ("scenarios/fair-competition.toml", 43,
                         {"within": "->0", "induced": "->0"}),
    "joint-promotion": ("scenarios/joint-promotion.toml", 24,
                        {"within": "->0", "induced": "->0"}),
    "finder": ("scenarios/experiments/joint-promotion-parts/finder.toml", 24,
               {"within": "0/-", "induced": "0/-"}),
    # Core traction acts through the core's institute researchers opened to firms (a spillover in
    # the location multiplier, model.md §4): output and firms rise; offers may rise slightly.
    "core-traction": ("scenarios/core-traction.toml", 24,
                      {"within": "0/+", "induced": "0/+", "firms": "+", "output": "+"}),
}
# Documented exceptions (docs/policies.md, "Paired sign tests"). Core traction's firms are
# unresolved (-63.9 [-130, +1.94] at 30 replicates since projects weigh free floor space, -15.4
# [-182, +152] before): a full nevz turns the extra productivity into fewer projects there. At 10 replicates (until the productivity trend, 2026-12-03) two more were listed: the
# finder's share's induced relocations (+2.51 [+0.51, +4.52]; +1.37 [-0.00, +2.74] on the trend's
# first 10 seeds, +0.59 [-0.17, +1.36] on 30) and tax sharing's within-region subsidies (upper
# bound near zero; -37.4 [-47.9, -26.8] on 30); core traction's induced relocations contradicted
# on the first 10 seeds (-4.11 [-8.15, -0.07]) and not on 30 (-0.85 [-2.73, +1.03]). 30
# replicates instead of 10 for that reason: 22 checks at one-sided 95 % each gave about one
# spurious verdict a run.
EXPECTED_CONTRADICTION = set()
EXPECTED_UNRESOLVED = {("core-traction", "firms")}


def run(binary, out):
    files = ["scenarios/baseline.toml"] + [a[0] for a in ARMS.values()]
    subprocess.run([binary, "run", *files, "--replicates", str(REPLICATES), "--steps", str(STEPS),
                    "--set", f"run.scale={SCALE}", "--threads", "2", "-o", out],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def totals(ds, run_index, start):
    one = ds.isel(run=run_index).isel(time=slice(start, None))
    return {"within": float(one.promotion_spending_within.sum()),
            "induced": float(one.relocations_induced.sum()),
            "firms": float(one.firms.isel(time=-1).sum()),
            "output": float(one.output.sum())}


def interval(d):
    d = np.asarray(d)
    half = stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return d.mean(), d.mean() - half, d.mean() + half


def verdict(sign, low, high):
    """confirmed, unresolved (interval across zero) or contradicted, at the stated confidence."""
    if sign in ("-", "->0"):
        return "confirmed" if high < 0 else "contradicted" if low > 0 else "unresolved"
    if sign == "0/-":
        return "contradicted" if low > 0 else "confirmed"
    if sign == "+":
        return "confirmed" if low > 0 else "contradicted" if high < 0 else "unresolved"
    if sign == "0/+":
        return "contradicted" if high < 0 else "confirmed"
    raise ValueError(sign)


def main(binary):
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "signs.h5")
        run(binary, out)
        ds = xr.open_dataset(out)
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in ds.scenario.values]
        index = {(n, int(r)): i for i, (n, r) in enumerate(zip(names, ds.replicate.values))}
        for arm, (_, start, signs) in ARMS.items():
            for metric, sign in signs.items():
                d = [totals(ds, index[(arm, k)], start)[metric]
                     - totals(ds, index[("baseline", k)], start)[metric]
                     for k in range(REPLICATES)]
                mean, low, high = interval(d)
                got = verdict(sign, low, high)
                if (arm, metric) in EXPECTED_CONTRADICTION:
                    want, note = {"contradicted"}, " (expected contradiction)"
                elif (arm, metric) in EXPECTED_UNRESOLVED:
                    want, note = {"unresolved", "confirmed"}, " (expected unresolved)"
                else:
                    want, note = {"confirmed"}, ""
                print(f"{arm:22s} {metric:8s} predicted {sign:4s} measured {mean:+9.3g} "
                      f"[{low:+.3g}, {high:+.3g}]  {got}{note}")
                if got not in want:
                    failures.append(f"{arm} {metric}: {got}, expected {'/'.join(sorted(want))}"
                                    " (docs/policies.md, Paired sign tests: update the docs "
                                    "and the exceptions together, never the table)")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/release/regionsim")))
