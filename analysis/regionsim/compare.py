"""Comparing arms of an experiment: ensemble statistics and paired differences to a baseline.

Vocabulary (see docs/analysis.md):

- a **run** is one simulation (one slice along ``run``);
- an **arm** is a scenario at one sweep point; its runs are its **replicates**;
- replicate k of every arm uses the same random streams (common random numbers), so the
  difference arm − baseline is taken **replicate by replicate**: run (arm, replicate k) minus
  run (baseline arm, replicate k), at the same sweep point when the file has sweeps. Those paired
  differences are what the bootstrap interval and the signed-rank test are about.

All tables are long ("tidy") pandas DataFrames.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from .dataset import design, design_keys, resolve_key, time_series_vars, with_design
from .labels import as_str, name_of, readable_units
from .stats import (adjust_p, format_p, interval_quantiles, paired_stats, spread, stream,
                    verdict)
from .windows import Window, divergence_month, time_windows, window_mean

# time_windows, paired_stats and interval_quantiles live in their own modules and are re-exported
# here, where analysts met them first.
__all__ = ["compare", "ensemble", "levels", "paired_series", "add_verdicts", "Comparison",
           "Prepared", "prepare", "divergence", "values", "time_windows", "paired_stats",
           "interval_quantiles", "MIN_REPLICATES"]

_AGGREGATIONS = ("sum", "mean", "median", "min", "max", "std")
#: Below this many pairs the signed-rank test cannot reach p < 0.002 and intervals are rough:
#: summaries and the report warn.
MIN_REPLICATES = 10


def _select_labels(da: xr.DataArray, dim: str, how) -> xr.DataArray:
    """``da.sel({dim: how})``, with an error that lists the valid labels."""
    valid = list(as_str(da[dim].values)) if dim in da.coords else list(range(da.sizes[dim]))
    wanted = how if isinstance(how, (list, tuple)) else [how]
    missing = [w for w in wanted if str(w) not in map(str, valid)]
    if missing:
        close = [v for v in valid if str(v).lower() == str(missing[0]).lower()]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise KeyError(f"reduce: {dim}={missing[0]!r} is not a label of {dim}{hint}; "
                       f"valid: {', '.join(map(repr, valid))}; or an aggregation "
                       f"{', '.join(_AGGREGATIONS)}")
    return da.sel({dim: how})


# --- the values to compare -----------------------------------------------------------------------

def _apply_reduce(da: xr.DataArray, reduce) -> xr.DataArray:
    if reduce is None:
        return da
    if callable(reduce):
        return reduce(da)
    extra = [d for d in da.dims if d not in ("run", "time")]
    if isinstance(reduce, str):
        if reduce not in _AGGREGATIONS:
            raise ValueError(f"reduce={reduce!r}: use one of {_AGGREGATIONS}, a dict "
                             "{dim: 'sum' | 'mean' | label | [labels]} or a callable")
        return getattr(da, reduce)(extra, keep_attrs=True) if extra else da
    if isinstance(reduce, dict):
        for dim, how in reduce.items():
            if dim not in da.dims:
                raise ValueError(f"reduce: {da.name} has no dimension {dim!r} (dims {da.dims})")
            if isinstance(how, str) and how in _AGGREGATIONS:
                da = getattr(da, how)(dim, keep_attrs=True)
            else:
                da = _select_labels(da, dim, how)
        return da
    raise TypeError(f"reduce must be None, a string, a dict or a callable, not {type(reduce)}")


def values(ds: xr.Dataset, var, reduce=None) -> xr.DataArray:
    """The DataArray a comparison is about: dims (run, time, …other dims left by ``reduce``).

    ``var`` is a variable name, a DataArray with a ``run`` dimension, or a callable
    ``f(ds) -> DataArray`` (e.g. a :mod:`regionsim.metrics` metric). ``reduce`` then applies:
    ``"sum"``/``"mean"`` over every dimension but run and time; a dict per dimension, each
    ``"sum"``/``"mean"`` or a label (or list of labels) to select, e.g. ``{"zone": "core",
    "sector": "sum"}``; or a callable ``f(DataArray) -> DataArray``.
    """
    if isinstance(var, str):
        if var not in ds.variables:
            raise KeyError(f"no variable {var!r} in the dataset; time series: "
                           f"{', '.join(time_series_vars(ds))}")
        da = ds[var]
    elif isinstance(var, xr.DataArray):
        da = var
    elif callable(var):
        da = var(ds)
        if not isinstance(da, xr.DataArray):
            raise TypeError(f"{name_of(var)}(ds) returned {type(da).__name__}, not a DataArray")
    else:
        raise TypeError(f"var must be a name, a DataArray or a callable, not {type(var)}")
    da = _apply_reduce(da, reduce)
    for dim in ("run", "time"):
        if dim not in da.dims:
            raise ValueError(f"{name_of(var)} has no {dim!r} dimension after reduce "
                             f"(dims {da.dims})")
    if da.sizes["run"] != ds.sizes["run"]:
        raise ValueError(f"{name_of(var)} has {da.sizes['run']} runs, the dataset "
                         f"{ds.sizes['run']}")
    extra = [d for d in da.dims if d not in ("run", "time")]
    return da.transpose("run", "time", *extra)


# --- arms and pairing ----------------------------------------------------------------------------

def _arms(d: pd.DataFrame, keys: list[str]) -> list[tuple[tuple, np.ndarray]]:
    """(key values, run positions sorted by replicate) per arm, in order of first appearance."""
    out = []
    for vals, group in d.groupby(keys[0] if len(keys) == 1 else keys, sort=False, dropna=False):
        vals = vals if isinstance(vals, tuple) else (vals,)
        # NaN (a key not swept in some of several combined files) must equal itself as a key.
        vals = tuple(None if isinstance(v, float) and np.isnan(v) else v for v in vals)
        group = group.sort_values("replicate", kind="stable")
        dup = group["replicate"].duplicated()
        if dup.any():
            raise ValueError(f"arm {dict(zip(keys, vals))} has replicate "
                             f"{int(group['replicate'][dup].iloc[0])} more than once: "
                             "runs cannot be paired (check the replicate coordinate)")
        out.append((vals, group.index.to_numpy()))
    return out


def _match(value, wanted) -> bool:
    if value is None or wanted is None:
        return value is None and wanted is None
    if isinstance(value, (int, float, np.integer, np.floating)) and isinstance(
            wanted, (int, float, np.integer, np.floating)):
        return bool(np.isclose(float(value), float(wanted), rtol=1e-12, atol=0.0))
    return str(value) == str(wanted)


def _resolve_baseline(d: pd.DataFrame, by: str, baseline):
    present = list(dict.fromkeys(d[by].tolist()))
    if baseline is None:
        return present[0]
    for v in present:
        if _match(v, baseline):
            return v
    raise ValueError(f"baseline {baseline!r} is not a value of {by!r} in this dataset; "
                     f"values: {present}")


def _frame(head: dict[str, Any], stats: dict[str, np.ndarray], axes: list[tuple[str, Sequence]]
           ) -> dict[str, list]:
    """One block of a long table, as columns: constant ``head`` columns, one row per cell of
    ``axes`` (C order, as the stat arrays), then the stat columns."""
    size = int(np.prod([len(v) for _, v in axes])) if axes else 1
    cols: dict[str, list] = {k: [v] * size for k, v in head.items()}
    if axes:
        grids = np.meshgrid(*[np.arange(len(v)) for _, v in axes], indexing="ij")
        for (name, labels), grid in zip(axes, grids):
            labels = list(labels)
            cols[name] = [labels[i] for i in grid.ravel()]
    for k, v in stats.items():
        cols[k] = list(np.asarray(v).reshape(-1))
    return cols


def _cat(blocks: list[dict[str, list]]) -> pd.DataFrame:
    """Blocks from :func:`_frame` (same columns) as one DataFrame."""
    if not blocks:
        return pd.DataFrame()
    columns = {k: [] for k in blocks[0]}
    for block in blocks:
        for k in columns:
            columns[k].extend(block[k])
    frame = pd.DataFrame(columns)
    for k in ("n", "n_pairs", "n_higher", "n_lower"):
        if k in frame:
            frame[k] = frame[k].astype(np.int64)
    return frame


def _coord_values(da: xr.DataArray, dim: str) -> list:
    vals = np.asarray(da[dim].values) if dim in da.coords else np.arange(da.sizes[dim])
    if vals.dtype == object or vals.dtype.kind in "SU":
        return list(as_str(vals))
    return list(vals)


# --- public API ----------------------------------------------------------------------------------

@dataclass
class Comparison:
    """What :func:`compare` returns. Every table is a long pandas DataFrame.

    ``ensemble``  per arm × month (× other dims): n, mean, std, median and lo/hi, the
                  (1−level)/2 and (1+level)/2 quantiles over replicates (a spread of outcomes,
                  not a confidence interval).
    ``levels``    the same per arm × window of ``months`` (values averaged over the window
                  first, per run).
    ``paired``    per non-baseline arm × window: the paired differences to the baseline arm
                  (same replicate, same sweep point): n_pairs, n_higher/n_lower (pairs with a
                  positive/negative difference), baseline_mean, arm_mean, diff_mean, diff_sd,
                  diff_lo/diff_hi (bootstrap ``level`` confidence interval of the mean
                  difference), rel_diff (a fraction), p_value (Wilcoxon signed-rank), p_min
                  (the smallest p possible with these pairs), p_adjusted (over the rows of this
                  table, ``adjust``), units and a one-sentence verdict.
    ``values``    the (run, time, …) DataArray compared; ``design`` one row per run.
    ``windows``   the parsed ``months``; ``interval`` the bootstrap interval method.
    """

    var: str
    by: str
    baseline: Any
    level: float
    windows: list[Window]
    ensemble: pd.DataFrame
    levels: pd.DataFrame
    paired: pd.DataFrame
    values: xr.DataArray = field(repr=False)
    design: pd.DataFrame = field(repr=False)
    interval: str = "expanded"
    adjust: str | None = "holm"

    def summary(self, digits: int = 4) -> pd.DataFrame:
        """The paired table in short: arm, window and its months, difference [interval],
        relative difference in %, p-value (raw and adjusted) and the verdict."""
        p = self.paired
        if p.empty:
            return p
        extra = [c for c in p.columns if c in self.values.dims]
        f = lambda x: f"{x:.{digits}g}"  # noqa: E731
        out = p[["arm", "window"]].copy()
        out["months"] = [f"{a:%Y-%m}" if a == b else f"{a:%Y-%m}..{b:%Y-%m}"
                         for a, b in zip(p["time_start"], p["time_end"])]
        for col in [*extra, "n_pairs"]:
            out[col] = p[col]
        out["difference"] = [f"{f(m)} [{f(lo)}, {f(hi)}]" for m, lo, hi in
                             zip(p.diff_mean, p.diff_lo, p.diff_hi)]
        out["relative"] = [f"{r:+.2%}" if np.isfinite(r) else "" for r in p.rel_diff]
        out["p"] = [format_p(x, m) for x, m in zip(p.p_value, p.p_min)]
        if self.adjust:
            out[f"p_{self.adjust}"] = [format_p(x) for x in p.p_adjusted]
        out["verdict"] = p["verdict"]
        return out

    def warnings(self) -> list[str]:
        """Plain-language cautions about this comparison (too few replicates)."""
        notes = []
        if not self.paired.empty:
            n = int(self.paired["n_pairs"].min())
            if n < MIN_REPLICATES:
                notes.append(f"only {n} paired replicate{'s' if n != 1 else ''} (fewer than "
                             f"{MIN_REPLICATES}): intervals are rough and p cannot go below "
                             f"{2.0 ** (1 - max(n, 1)):.2g}; run more replicates")
        return notes

    def __repr__(self) -> str:
        adj = f"; p_{self.adjust}: {self.adjust.title()}-adjusted over the rows" \
            if self.adjust else ""
        head = (f"Comparison of {self.var} by {self.by} against {self.baseline!r} "
                f"({self.design['arm'].nunique()} arms; difference = mean paired difference "
                f"arm - baseline [{self.level:.0%} bootstrap interval]; p: Wilcoxon signed-rank, "
                f"(min) = the smallest p these pairs allow{adj})")
        body = self.summary().to_string(index=False) if not self.paired.empty else \
            "(no paired differences: one arm only)"
        notes = "".join(f"\nWarning: {w}" for w in self.warnings())
        return f"{head}\n{body}{notes}"


def ensemble(ds: xr.Dataset, var, by: str = "scenario", reduce=None, level: float = 0.9
             ) -> pd.DataFrame:
    """Per arm and month: n, mean, std, median, lo, hi over replicates (long table).

    Columns: arm, scenario, sweep keys…, time, other dims…, n, mean, std, lo, median, hi.
    """
    return _compare(ds, var, by, None, [], reduce, level, 0, 0, paired=False).ensemble


def levels(ds: xr.Dataset, var, months="final", by: str = "scenario", reduce=None,
           level: float = 0.9, baseline=None) -> pd.DataFrame:
    """Per arm and window of ``months``: n, mean, std, median, lo, hi over replicates.

    Each run's values are first averaged over the window's months. Columns: arm, scenario,
    sweep keys…, window, time_start, time_end, other dims…, units, n, mean, std, lo, median,
    hi. A ``"post-reform"`` window starts where each arm departs from ``baseline`` (default:
    the first value of ``by``).
    """
    return _compare(ds, var, by, baseline, months, reduce, level, 0, 0, paired=False).levels


def compare(ds: xr.Dataset, var, by: str = "scenario", baseline="baseline", months=None,
            reduce=None, level: float = 0.9, n_boot: int = 2000, seed: int = 0,
            interval: str = "expanded", adjust: str | None = "holm", *,
            cache: dict | None = None) -> Comparison:
    """Compare the arms of an experiment on ``var``, with paired differences to a baseline.

    ds        a dataset from :func:`regionsim.open` (or any dataset in the output layout)
    var       a variable name, a callable ``f(ds) -> DataArray(run, time, …)`` such as
              ``regionsim.metrics.theil("output")``, or a DataArray with dims run, time
    by        the design coordinate the arms differ in: ``"scenario"`` (default) or a sweep key
              (coordinate name ``talent__beta_wage`` or key ``talent.beta_wage``)
    baseline  the value of ``by`` to compare against (``None``: the first in the file)
    months    window(s) for the paired table: ``"final"`` (default), ``"last12"``, ``"year5"``,
              ``"post-reform"``, an int position, a date ``"2025-12"``, a slice, or a list
    reduce    ``"sum"``/``"mean"`` over every dim but run and time, a dict per dim
              (``{"zone": "core", "sector": "sum"}``) or a callable; dims left over become
              columns of the tables
    level     coverage of the replicate quantile band and of the bootstrap interval (0.9)
    n_boot    bootstrap resamples; ``seed`` seeds them: each interval has its own stream
              derived from (seed, variable name, arm, baseline arm, window months), so it is
              the same whatever else is asked
    interval  ``"expanded"`` (default; the percentile interval widened for few pairs, see
              :func:`interval_quantiles`) or ``"percentile"``
    adjust    ``"holm"`` (default), ``"bh"`` or None: the p_adjusted column over the rows
    cache     a dict kept between calls on the same dataset to remember where each arm
              departs from its baseline (saves rescanning every variable for "post-reform")

    Pairing: each run of arm A (value a of ``by``) is matched to the run of the baseline arm
    with the same replicate index and the same values of every other design coordinate
    (scenario or sweep keys); only replicates present in both are used, and a pair whose
    seeds differ is an error (its runs do not share random streams).
    """
    return _compare(ds, var, by, baseline, months, reduce, level, n_boot, seed, paired=True,
                    interval=interval, adjust=adjust, starts_cache=cache)


def divergence(ds: xr.Dataset, ia: np.ndarray, ib: np.ndarray, cache: dict | None = None
                ) -> int | None:
    """First month any time series of runs ``ia`` differs from its paired run in ``ib``
    (``cache``: a dict to remember it in, keyed by the runs, for repeated calls)."""
    key = (ia.tobytes(), ib.tobytes())
    if cache is not None and key in cache:
        return cache[key]
    names = [v for v in time_series_vars(ds) if ds[v].dims[:2] == ("run", "time")]
    arrays = [np.asarray(ds[v].values) for v in names]
    found = divergence_month([a[ia] for a in arrays], [a[ib] for a in arrays])
    if cache is not None:
        cache[key] = found
    return found


def _pairs(d: pd.DataFrame, pos: np.ndarray, base_pos: np.ndarray, arm: str
           ) -> tuple[np.ndarray, np.ndarray]:
    rep_arm = dict(zip(d.loc[pos, "replicate"], pos))
    rep_base = dict(zip(d.loc[base_pos, "replicate"], base_pos))
    common = sorted(set(rep_arm) & set(rep_base))
    ia = np.array([rep_arm[r] for r in common], dtype=int)
    ib = np.array([rep_base[r] for r in common], dtype=int)
    if "seed" in d and len(common):
        bad = d.loc[ia, "seed"].to_numpy() != d.loc[ib, "seed"].to_numpy()
        if bad.any():
            r = common[int(np.flatnonzero(bad)[0])]
            raise ValueError(f"arm {arm!r}: replicate {r} has a different seed than the "
                             "baseline's replicate, so the pair does not share random streams "
                             "(regionsim.open renumbers replicates by seed for combined files)")
    return ia, ib


def add_verdicts(table: pd.DataFrame, level: float = 0.9, adjust: str | None = "holm"
                 ) -> pd.DataFrame:
    """``table`` (paired rows, possibly of several comparisons) with ``p_adjusted`` over all
    its rows (``adjust``: "holm", "bh" or None) and a one-sentence ``verdict`` per row."""
    if table.empty:
        return table
    table = table.copy()
    table["p_adjusted"] = adjust_p(table["p_value"], adjust) if adjust else np.nan
    table["verdict"] = [
        verdict(r.diff_lo, r.diff_hi, r.diff_mean, r.baseline_mean, int(r.n_pairs),
                int(r.n_higher), int(r.n_lower), r.p_adjusted, level, r.units)
        for r in table.itertuples()]
    return table


@dataclass
class Prepared:
    """What every comparison needs: the values (``vals``: run × time × cells), the design,
    the arms (``arms``: key values and run positions) and their pairing (``pairing``: arm
    index -> baseline run positions and the paired run positions ``ia``, ``ib``)."""

    ds: xr.Dataset
    da: xr.DataArray
    name: str
    units: str
    vals: np.ndarray
    d: pd.DataFrame
    keys: list
    by: str
    arms: list
    extra_axes: list
    times: pd.Index
    base_value: Any = None
    pairing: dict = field(default_factory=dict)   # arm index -> (base positions, ia, ib)

    def arm(self, i) -> str:
        return self.d.loc[self.arms[i][1][0], "arm"]

    def head(self, i) -> dict:
        arm_vals, pos = self.arms[i]
        return {"arm": self.d.loc[pos[0], "arm"], **dict(zip(self.keys, arm_vals))}


def prepare(ds, var, by="scenario", baseline="baseline", reduce=None, pair: bool = True,
            warn: bool = True) -> Prepared:
    """The values of ``var`` and the arms of ``ds``, each non-baseline arm paired with its
    baseline arm's runs replicate by replicate (``pair``); the groundwork of :func:`compare`,
    :func:`paired_series` and the explorer."""
    ds = with_design(ds)
    by = resolve_key(ds, by)
    keys = design_keys(ds)
    if by not in keys:
        raise ValueError(f"by={by!r}: arms can differ in {keys}")
    da = values(ds, var, reduce)
    name = name_of(var) if not isinstance(var, xr.DataArray) else str(var.name or "value")
    units = readable_units(da.attrs) or (readable_units({"units": getattr(var, "units", "")})
                                         if not isinstance(var, (str, xr.DataArray)) else "")
    d = design(ds).reset_index(drop=True)
    extra = [dim for dim in da.dims if dim not in ("run", "time")]
    s = Prepared(ds, da, name, units, np.asarray(da.astype(float).values), d, keys, by,
               _arms(d, keys), [(dim, _coord_values(da, dim)) for dim in extra],
               pd.Index(np.asarray(da["time"].values)))
    if not pair:
        return s
    s.base_value = _resolve_baseline(d, by, baseline)
    by_index = keys.index(by)
    strata = [k for k in keys if k != by]
    base_arms = {tuple(v for k, v in zip(keys, av) if k != by): pos
                 for av, pos in s.arms if _match(av[by_index], s.base_value)}
    for i, (arm_vals, pos) in enumerate(s.arms):
        if _match(arm_vals[by_index], s.base_value):
            continue
        stratum = tuple(v for k, v in zip(keys, arm_vals) if k != by)
        if stratum not in base_arms:
            if warn:
                warnings.warn(f"arm {s.arm(i)!r} has no baseline arm ({by}={s.base_value!r} "
                              f"with the same {strata}); not paired", stacklevel=4)
            continue
        base_pos = base_arms[stratum]
        ia, ib = _pairs(d, pos, base_pos, s.arm(i))
        if ia.size == 0:
            if warn:
                warnings.warn(f"arm {s.arm(i)!r} shares no replicate with "
                              f"{d.loc[base_pos[0], 'arm']!r}; not paired", stacklevel=4)
            continue
        s.pairing[i] = (base_pos, ia, ib)
    return s


def _compare(ds, var, by, baseline, months, reduce, level, n_boot, seed, paired,
             interval="expanded", adjust="holm", starts_cache: dict | None = None) -> Comparison:
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), not {level}")
    windows = time_windows(ds["time"], months) if (paired or months is not None) else []
    post = any(not w.resolved for w in windows)
    s = prepare(ds, var, by, baseline, reduce, pair=paired or post, warn=paired)
    times, vals, units = s.times, s.vals, s.units
    starts = {i: divergence(s.ds, ia, ib, starts_cache)
              for i, (_, ia, ib) in s.pairing.items()} if post else {}
    known = [v for v in starts.values() if v is not None]
    base_start = min(known) if known else None

    def when(w):
        return {"window": w.label, "time_start": times[w.start], "time_end": times[w.stop - 1],
                "units": units}

    ens, lev = [], []
    for i, (arm_vals, pos) in enumerate(s.arms):
        ens.append(_frame(s.head(i), spread(vals[pos], level),
                          [("time", list(times))] + s.extra_axes))
        for w in windows:
            w = w.resolve(starts.get(i, base_start))
            lev.append(_frame({**s.head(i), **when(w)}, spread(window_mean(vals[pos], w), level),
                              s.extra_axes))

    pairs = []
    for i, (base_pos, ia, ib) in s.pairing.items() if paired else ():
        base_arm = s.d.loc[base_pos[0], "arm"]
        for w in windows:
            w = w.resolve(starts.get(i))
            x = window_mean(vals, w)
            a, b = x[ia], x[ib]
            rng = stream(seed, s.name, s.arm(i), base_arm, w.start, w.stop)
            stats = paired_stats(a - b, b, a, level=level, n_boot=n_boot, rng=rng,
                                 interval=interval)
            pairs.append(_frame({**s.head(i), "baseline_arm": base_arm, **when(w)}, stats,
                                s.extra_axes))
    table = add_verdicts(_cat(pairs), level, adjust)
    return Comparison(var=s.name, by=s.by, baseline=s.base_value, level=level, windows=windows,
                      ensemble=_cat(ens), levels=_cat(lev), paired=table, values=s.da,
                      design=s.d, interval=interval, adjust=adjust)


def paired_series(ds: xr.Dataset, var, by: str = "scenario", baseline="baseline", reduce=None,
                  level: float = 0.9, n_boot: int = 2000, seed: int = 0,
                  interval: str = "expanded") -> pd.DataFrame:
    """Month by month, per non-baseline arm: the mean paired difference arm − baseline and
    its bootstrap ``level`` interval (the report's and the explorer's difference panels).

    Columns: arm, scenario, sweep keys…, baseline_arm, time, other dims…, units, n_pairs,
    n_higher, n_lower, baseline_mean, arm_mean, diff_mean, diff_sd, diff_lo, diff_hi,
    rel_diff, reform_start (the first month the arm differs from its baseline, NaT if never).
    The resamples of one arm are shared by its months (stream: seed, variable, arm, baseline
    arm, ``"monthly"``), so the band is smooth where the data are.
    """
    s = prepare(ds, var, by, baseline, reduce, pair=True, warn=True)
    blocks = []
    for i, (base_pos, ia, ib) in s.pairing.items():
        base_arm = s.d.loc[base_pos[0], "arm"]
        a, b = s.vals[ia], s.vals[ib]
        rng = stream(seed, s.name, s.arm(i), base_arm, "monthly")
        stats = paired_stats(a - b, b, a, level=level, n_boot=n_boot, rng=rng,
                             interval=interval, tests=False)
        stats = {k: v for k, v in stats.items() if k not in ("p_value", "p_min")}
        start = divergence(s.ds, ia, ib)
        head = {**s.head(i), "baseline_arm": base_arm, "units": s.units,
                "reform_start": s.times[start] if start is not None else pd.NaT}
        blocks.append(_frame(head, stats, [("time", list(s.times))] + s.extra_axes))
    table = _cat(blocks)
    if not table.empty:
        first = ["arm", *s.keys, "baseline_arm", "time", *[d for d, _ in s.extra_axes]]
        table = table[first + [c for c in table.columns if c not in first]]
    return table
