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
from .labels import as_str, name_of
from .stats import interval_quantiles, paired_stats, spread
from .windows import Window, time_windows, window_mean

# time_windows, paired_stats and interval_quantiles live in their own modules and are re-exported
# here, where analysts met them first.
__all__ = ["compare", "ensemble", "levels", "Comparison", "values", "time_windows", "paired_stats",
           "interval_quantiles"]

_AGGREGATIONS = ("sum", "mean", "median", "min", "max", "std")


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
                da = da.sel({dim: how})
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
    for vals, group in d.groupby(keys[0] if len(keys) == 1 else keys, sort=False):
        vals = vals if isinstance(vals, tuple) else (vals,)
        group = group.sort_values("replicate", kind="stable")
        dup = group["replicate"].duplicated()
        if dup.any():
            raise ValueError(f"arm {dict(zip(keys, vals))} has replicate "
                             f"{int(group['replicate'][dup].iloc[0])} more than once: "
                             "runs cannot be paired (check the replicate coordinate)")
        out.append((vals, group.index.to_numpy()))
    return out


def _match(value, wanted) -> bool:
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
    for k in ("n", "n_pairs"):
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
                  (same replicate, same sweep point): n_pairs, baseline_mean, arm_mean,
                  diff_mean, diff_sd, diff_lo/diff_hi (bootstrap ``level`` confidence interval
                  of the mean difference), rel_diff, p_value (Wilcoxon signed-rank).
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

    def summary(self, digits: int = 4) -> pd.DataFrame:
        """The paired table in short: arm, window and its months, difference [interval],
        relative difference, p-value."""
        p = self.paired
        if p.empty:
            return p
        extra = [c for c in p.columns if c in self.values.dims]
        f = lambda x: f"{x:.{digits}g}"  # noqa: E731
        out = p[["arm", "at"]].copy()
        out["months"] = [f"{a:%Y-%m}" if a == b else f"{a:%Y-%m}..{b:%Y-%m}"
                         for a, b in zip(p["time_start"], p["time_end"])]
        for col in [*extra, "n_pairs"]:
            out[col] = p[col]
        out["difference"] = [f"{f(m)} [{f(lo)}, {f(hi)}]" for m, lo, hi in
                             zip(p.diff_mean, p.diff_lo, p.diff_hi)]
        out["relative"] = [f"{r:+.2%}" if np.isfinite(r) else "" for r in p.rel_diff]
        out["p_value"] = p.p_value.round(4)
        return out

    def __repr__(self) -> str:
        head = (f"Comparison of {self.var} by {self.by} against {self.baseline!r} "
                f"({self.design['arm'].nunique()} arms; difference = mean paired difference "
                f"arm - baseline [{self.level:.0%} bootstrap interval]; p: Wilcoxon)")
        body = self.summary().to_string(index=False) if not self.paired.empty else \
            "(no paired differences: one arm only)"
        return f"{head}\n{body}"


def ensemble(ds: xr.Dataset, var, by: str = "scenario", reduce=None, level: float = 0.9
             ) -> pd.DataFrame:
    """Per arm and month: n, mean, std, median, lo, hi over replicates (long table).

    Columns: arm, scenario, sweep keys…, time, other dims…, n, mean, std, lo, median, hi.
    """
    return _compare(ds, var, by, None, [], reduce, level, 0, 0, paired=False).ensemble


def levels(ds: xr.Dataset, var, months="final", by: str = "scenario", reduce=None,
           level: float = 0.9) -> pd.DataFrame:
    """Per arm and window of ``months``: n, mean, std, median, lo, hi over replicates.

    Each run's values are first averaged over the window's months. Columns: arm, scenario,
    sweep keys…, at, time_start, time_end, other dims…, n, mean, std, lo, median, hi.
    """
    return _compare(ds, var, by, None, months, reduce, level, 0, 0, paired=False).levels


def compare(ds: xr.Dataset, var, by: str = "scenario", baseline="baseline", months=None,
            reduce=None, level: float = 0.9, n_boot: int = 2000, seed: int = 0,
            interval: str = "expanded") -> Comparison:
    """Compare the arms of an experiment on ``var``, with paired differences to a baseline.

    ds        a dataset from :func:`regionsim.open` (or any dataset in the output layout)
    var       a variable name, a callable ``f(ds) -> DataArray(run, time, …)`` such as
              ``regionsim.metrics.theil("output")``, or a DataArray with dims run, time
    by        the design coordinate the arms differ in: ``"scenario"`` (default) or a sweep key
              (coordinate name ``talent__beta_wage`` or key ``talent.beta_wage``)
    baseline  the value of ``by`` to compare against (``None``: the first in the file)
    months    window(s) for the paired table: ``"final"`` (default), ``"last12"``, ``"year5"``,
              an int position, a date ``"2025-12"``, a slice, or a list of those
    reduce    ``"sum"``/``"mean"`` over every dim but run and time, a dict per dim
              (``{"zone": "core", "sector": "sum"}``) or a callable; dims left over become
              columns of the tables
    level     coverage of the replicate quantile band and of the bootstrap interval (0.9)
    n_boot    bootstrap resamples; ``seed`` seeds them (results are reproducible)
    interval  ``"expanded"`` (default; the percentile interval widened for few pairs, see
              :func:`interval_quantiles`) or ``"percentile"``

    Pairing: each run of arm A (value a of ``by``) is matched to the run of the baseline arm
    with the same replicate index and the same values of every other design coordinate
    (scenario or sweep keys); only replicates present in both are used.
    """
    return _compare(ds, var, by, baseline, months, reduce, level, n_boot, seed, paired=True,
                    interval=interval)


def _compare(ds, var, by, baseline, months, reduce, level, n_boot, seed, paired,
             interval="expanded") -> Comparison:
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), not {level}")
    ds = with_design(ds)
    by = resolve_key(ds, by)
    keys = design_keys(ds)
    if by not in keys:
        raise ValueError(f"by={by!r}: arms can differ in {keys}")
    da = values(ds, var, reduce)
    vals = np.asarray(da.astype(float).values)
    d = design(ds).reset_index(drop=True)
    extra = [dim for dim in da.dims if dim not in ("run", "time")]
    extra_axes = [(dim, _coord_values(da, dim)) for dim in extra]
    times = pd.Index(np.asarray(da["time"].values))
    arms = _arms(d, keys)
    windows = time_windows(da["time"], months) if (paired or months is not None) else []

    def head(arm_vals, positions):
        h = {"arm": d.loc[positions[0], "arm"]}
        h.update(dict(zip(keys, arm_vals)))
        return h

    ens, lev = [], []
    for arm_vals, pos in arms:
        stats = spread(vals[pos], level)
        ens.append(_frame(head(arm_vals, pos), stats, [("time", list(times))] + extra_axes))
        for w in windows:
            wstats = spread(window_mean(vals[pos], w), level)
            h = {**head(arm_vals, pos), "at": w.label, "time_start": times[w.start],
                 "time_end": times[w.stop - 1]}
            lev.append(_frame(h, wstats, extra_axes))

    pairs = []
    base_value = None
    if paired:
        base_value = _resolve_baseline(d, by, baseline)
        rng = np.random.default_rng(seed)
        strata = [k for k in keys if k != by]
        by_index = keys.index(by)
        base_arms = {tuple(v for k, v in zip(keys, av) if k != by): (av, pos)
                     for av, pos in arms if _match(av[by_index], base_value)}
        wvals = {w: window_mean(vals, w) for w in windows}
        for arm_vals, pos in arms:
            if _match(arm_vals[by_index], base_value):
                continue
            stratum = tuple(v for k, v in zip(keys, arm_vals) if k != by)
            if stratum not in base_arms:
                warnings.warn(f"arm {d.loc[pos[0], 'arm']!r} has no baseline arm "
                              f"({by}={base_value!r} with the same {strata}); not paired",
                              stacklevel=3)
                continue
            base_vals, base_pos = base_arms[stratum]
            rep_arm = dict(zip(d.loc[pos, "replicate"], pos))
            rep_base = dict(zip(d.loc[base_pos, "replicate"], base_pos))
            common = sorted(set(rep_arm) & set(rep_base))
            ia = np.array([rep_arm[r] for r in common], dtype=int)
            ib = np.array([rep_base[r] for r in common], dtype=int)
            for w in windows:
                x = wvals[w]
                a, b = x[ia], x[ib]
                stats = paired_stats(a - b, b, a, level=level, n_boot=n_boot, rng=rng,
                                     interval=interval)
                h = {**head(arm_vals, pos), "baseline_arm": d.loc[base_pos[0], "arm"],
                     "at": w.label, "time_start": times[w.start],
                     "time_end": times[w.stop - 1]}
                pairs.append(_frame(h, stats, extra_axes))

    name = name_of(var) if not isinstance(var, xr.DataArray) else str(var.name or "value")
    return Comparison(var=name, by=by, baseline=base_value, level=level, windows=windows,
                      ensemble=_cat(ens), levels=_cat(lev), paired=_cat(pairs), values=da,
                      design=d, interval=interval)
