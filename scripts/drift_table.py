#!/usr/bin/python3
"""Drift of the baseline's stocks over a run (docs/model.md §3.1): first and last month of every
stock per zone (or jurisdiction), output summed over the first and the last 12 months.

    build/release/regionsim run scenarios/baseline.toml --seed 7 --check -o out/base7.h5
    /usr/bin/python3 scripts/drift_table.py out/base7.h5 [more seeds' files...]

With several files (seeds), each cell is the mean over them and the range of the change in %.
"""
import sys

import h5py
import numpy as np


def dims_of(f, ds):
    refs = ds.attrs.get("DIMENSION_LIST")
    return [f[r[0]].name.lstrip("/") for r in refs] if refs is not None else []


def series(f, name):
    """The variable as (time, entity, ...) for one run (a leading run dimension is dropped)."""
    ds = f[name]
    a = ds[()].astype(float)
    dims = dims_of(f, ds)
    if dims and dims[0] == "run":
        a, dims = a[0], dims[1:]
    return a, dims


def labels(f, dim):
    a = f[dim][()]
    return [x.decode() if isinstance(x, bytes) else (b"".join(x).decode() if hasattr(x, "__len__") and not isinstance(x, str) else str(x)) for x in a]


def per_entity(a, dims):
    """Sum every dimension after the entity (zone or jurisdiction)."""
    while a.ndim > 2:
        a = a.sum(axis=-1)
    return a


STOCKS = [
    ("firms", "firms", lambda f: series(f, "firms")),
    ("employment", "employment", lambda f: series(f, "employment")),
    ("talent (employed + seeking)", "talent",
     lambda f: (series(f, "talent_employed")[0] + series(f, "talent_seeking")[0],
                series(f, "talent_employed")[1])),
    ("hte_firms", "hte", lambda f: series(f, "hte_firms")),
    ("rent (mCNY/place)", "rent", lambda f: series(f, "rent")),
    ("wage (mCNY/month)", "wage", lambda f: series(f, "wage")),
    ("floor capacity (places)", "cap", lambda f: series(f, "floor_capacity")),
    ("floor occupancy", "occ", lambda f: series(f, "floor_occupancy")),
]


def fmt(x):
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def cell(first, last):
    ch = [100 * (b / a - 1) if a else float("nan") for a, b in zip(first, last)]
    lo, hi = min(ch), max(ch)
    rng = f"{np.mean(ch):+.0f} %" if len(ch) == 1 else f"{np.mean(ch):+.0f} % [{lo:+.0f}, {hi:+.0f}]"
    return f"{fmt(np.mean(first))} → {fmt(np.mean(last))} ({rng})"


def main(paths):
    files = [h5py.File(p, "r") for p in paths]
    f0 = files[0]
    zones = labels(f0, "zone")
    print("| stock | " + " | ".join(zones) + " |")
    print("|---|" + "---|" * len(zones))
    for title, _, get in STOCKS + [("output (12 months, mCNY)", "out", None)]:
        if get is not None and title.startswith("floor") and "floor_capacity" not in f0:
            continue  # a file written before land closure
        firsts, lasts = [], []
        for f in files:
            if get is None:
                a, dims = series(f, "output")
                a = per_entity(a, dims)
                firsts.append(a[:12].sum(axis=0))
                lasts.append(a[-12:].sum(axis=0))
            else:
                a, dims = get(f)
                a = per_entity(a, dims)
                firsts.append(a[0])
                lasts.append(a[-1])
        row = [cell([fi[z] for fi in firsts], [la[z] for la in lasts]) for z in range(len(zones))]
        print(f"| {title} | " + " | ".join(row) + " |")
    juris = labels(f0, "jurisdiction")
    print()
    print("| stock | " + " | ".join(juris) + " |")
    print("|---|" + "---|" * len(juris))
    for title, name, flow in [("budget (mCNY)", "budget", False),
                              ("land-lease revenue (120 months, mCNY)", "land_lease_revenue", True)]:
        if name not in f0:
            continue
        vals = []
        for f in files:
            a, dims = series(f, name)
            vals.append((a[0], a[-1]) if not flow else (a.sum(axis=0), None))
        row = []
        for j in range(len(juris)):
            if flow:
                row.append(fmt(np.mean([v[0][j] for v in vals])))
            else:
                row.append(f"{fmt(np.mean([v[0][j] for v in vals]))} → "
                           f"{fmt(np.mean([v[1][j] for v in vals]))}")
        print(f"| {title} | " + " | ".join(row) + " |")
    print()
    for line in region_summary(files):
        print("Region: " + line)


def region_summary(files):
    """The region's totals: firms, employment, talent, 12-month output, month 0 -> 119 (mean over
    runs, range of the change), entry (projects and spin-offs) and exits a year over months 12-119
    as a share of the stock, and the 2022 mean unemployment (months 12-23) per run."""
    def total(f, name):
        a, _ = series(f, name)
        return a.reshape(a.shape[0], -1).sum(axis=1)
    lines = []
    for title, get in [("firms", lambda f: total(f, "firms")),
                       ("employment", lambda f: total(f, "employment")),
                       ("talent", lambda f: total(f, "talent_employed") + total(f, "talent_seeking"))]:
        first = [get(f)[0] for f in files]
        last = [get(f)[-1] for f in files]
        lines.append(f"{title} {cell(first, last)}")
    out = [total(f, "output") for f in files]
    lines.append("output (12-month sums) " + cell([o[:12].sum() for o in out], [o[-12:].sum() for o in out]))
    entry, exits, unemployment = [], [], []
    for f in files:
        stock = total(f, "firms")[12:]
        entries = total(f, "firm_entries")[12:] + total(f, "spinoffs")[12:]
        entry.append(12 * 100 * entries.sum() / stock.sum())
        exits.append(12 * 100 * total(f, "firm_exits")[12:].sum() / stock.sum())
        seeking = total(f, "talent_seeking")[12:24]
        talent = seeking + total(f, "talent_employed")[12:24]
        unemployment.append(100 * (seeking / talent).mean())
    lines.append(f"entry {np.mean(entry):.1f} %/yr, exits {np.mean(exits):.1f} %/yr of the stock "
                 "over months 12-119")
    lines.append("unemployment 2022: " + ", ".join(f"{u:.1f} %" for u in unemployment)
                 + f" (mean {np.mean(unemployment):.1f} %)")
    return lines


if __name__ == "__main__":
    main(sys.argv[1:])
