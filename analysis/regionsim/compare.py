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

import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from .dataset import _as_str, design, design_keys, normalize, resolve_key

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
            from .dataset import time_series_vars
            raise KeyError(f"no variable {var!r} in the dataset; time series: "
                           f"{', '.join(time_series_vars(ds))}")
        da = ds[var]
    elif isinstance(var, xr.DataArray):
        da = var
    elif callable(var):
        da = var(ds)
        if not isinstance(da, xr.DataArray):
            raise TypeError(f"{_name_of(var)}(ds) returned {type(da).__name__}, not a DataArray")
    else:
        raise TypeError(f"var must be a name, a DataArray or a callable, not {type(var)}")
    da = _apply_reduce(da, reduce)
    for dim in ("run", "time"):
        if dim not in da.dims:
            raise ValueError(f"{_name_of(var)} has no {dim!r} dimension after reduce "
                             f"(dims {da.dims})")
    if da.sizes["run"] != ds.sizes["run"]:
        raise ValueError(f"{_name_of(var)} has {da.sizes['run']} runs, the dataset "
                         f"{ds.sizes['run']}")
    extra = [d for d in da.dims if d not in ("run", "time")]
    return da.transpose("run", "time", *extra)


def _name_of(var) -> str:
    if isinstance(var, str):
        return var
    name = getattr(var, "name", None) or getattr(var, "__name__", None)
    return str(name) if name else "value"


# --- time windows --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    """Months [start, stop) along ``time`` (positions), averaged; ``label`` names the spec."""

    label: str
    start: int
    stop: int


_LAST = re.compile(r"^last[_ ]?(\d+)$")
_YEAR = re.compile(r"^year[_ ]?(\d+)$")


def _position(times: pd.Index, value, what) -> int:
    n = len(times)
    if isinstance(value, (int, np.integer)):
        pos = int(value) + (n if value < 0 else 0)
    else:
        try:
            pos = int(times.get_loc(pd.Timestamp(value)))
        except (KeyError, ValueError, TypeError) as err:
            raise ValueError(f"{what}: {value!r} is not a month of the file "
                             f"({times[0]:%Y-%m} … {times[-1]:%Y-%m})") from err
    if not 0 <= pos < n:
        raise ValueError(f"{what}: month index {value} outside 0 … {n - 1}")
    return pos


def time_windows(time, months) -> list[Window]:
    """Parse ``months`` into windows over the ``time`` coordinate.

    Accepted, alone or in a list: ``"final"`` (the last month); ``"lastN"`` (mean of the last N
    months, e.g. ``"last12"``; fewer if the run is shorter); ``"yearN"`` (mean of the N-th
    simulated year, months 12(N−1) … 12N−1); an int (position along time, negative from the
    end); a date string or Timestamp (``"2025-12"``); a ``slice`` of those (mean over the
    months, both ends included for dates, stop excluded for ints).
    """
    times = pd.Index(np.asarray(time.values if hasattr(time, "values") else time))
    if months is None:
        months = ["final"]
    if isinstance(months, (str, int, np.integer, slice, pd.Timestamp, np.datetime64)):
        months = [months]
    n = len(times)
    out = []
    for spec in months:
        if isinstance(spec, str) and spec.lower() in ("final", "last"):
            out.append(Window("final", n - 1, n))
            continue
        if isinstance(spec, str) and (m := _LAST.match(spec.lower())):
            k = int(m.group(1))
            if k < 1:
                raise ValueError(f"months={spec!r}: need at least one month")
            out.append(Window(spec, max(0, n - k), n))
            continue
        if isinstance(spec, str) and (m := _YEAR.match(spec.lower())):
            year = int(m.group(1))
            start, stop = 12 * (year - 1), 12 * year
            if year < 1 or stop > n:
                raise ValueError(f"months={spec!r}: the file has {n} months "
                                 f"({n // 12} complete years)")
            out.append(Window(spec, start, stop))
            continue
        if isinstance(spec, slice):
            if spec.step is not None:
                raise ValueError("months: slices with a step are not supported")
            ints = all(v is None or isinstance(v, (int, np.integer))
                       for v in (spec.start, spec.stop))
            if ints:
                start, stop, _ = spec.indices(n)
            else:
                start = 0 if spec.start is None else _position(times, spec.start, "months")
                stop = n if spec.stop is None else _position(times, spec.stop, "months") + 1
            if stop <= start:
                raise ValueError(f"months={spec!r} is empty")
            label = f"{_label(times, start)}..{_label(times, stop - 1)}"
            out.append(Window(label, start, stop))
            continue
        pos = _position(times, spec, "months")
        out.append(Window(_label(times, pos), pos, pos + 1))
    return out


def _label(times: pd.Index, pos: int) -> str:
    t = times[pos]
    return f"{t:%Y-%m}" if isinstance(t, (pd.Timestamp, np.datetime64)) else str(pos)


def _window_values(vals: np.ndarray, w: Window) -> np.ndarray:
    """Mean over the window's months of vals (run, time, …) -> (run, …)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(vals[:, w.start:w.stop], axis=1)


# --- statistics ----------------------------------------------------------------------------------

def _spread(sub: np.ndarray, level: float) -> dict[str, np.ndarray]:
    """Statistics over axis 0 (replicates), NaN-aware."""
    a = (1.0 - level) / 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        n = np.sum(np.isfinite(sub), axis=0)
        mean = np.nanmean(sub, axis=0)
        std = np.where(n > 1, np.nanstd(sub, axis=0, ddof=1) if sub.shape[0] > 1 else np.nan,
                       np.nan)
        lo, med, hi = np.nanquantile(sub, [a, 0.5, 1.0 - a], axis=0)
    return {"n": n, "mean": mean, "std": std, "lo": lo, "median": med, "hi": hi}


def _quantiles_per_cell(boot: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantile q[c] of column c of boot (NaN ignored), linear interpolation as np.quantile."""
    ordered = np.sort(boot, axis=0)  # NaN sort last
    m = np.sum(np.isfinite(boot), axis=0)
    pos = q * np.maximum(m - 1, 0)
    below = np.floor(pos).astype(int)
    above = np.minimum(below + 1, np.maximum(m - 1, 0))
    frac = pos - below
    lo = np.take_along_axis(ordered, below[None, :], axis=0)[0]
    hi = np.take_along_axis(ordered, above[None, :], axis=0)[0]
    out = lo + frac * (hi - lo)
    return np.where(m > 0, out, np.nan)


def interval_quantiles(n: np.ndarray, level: float, interval: str = "expanded"
                       ) -> tuple[np.ndarray, np.ndarray]:
    """The bootstrap quantiles (lower, upper) that make a ``level`` interval from n pairs.

    ``"percentile"``: (1−level)/2 and (1+level)/2. ``"expanded"`` (Hesterberg's expanded
    percentile interval): the lower tail level becomes Φ(√(n/(n−1)) · t_{(1−level)/2, n−1}),
    which corrects the percentile interval's known narrowness with few pairs (it is too narrow
    by the factor √((n−1)/n) and uses normal instead of t tails); for large n both agree.
    """
    from scipy import stats

    n = np.asarray(n, dtype=float)
    alpha = (1.0 - level) / 2.0
    if interval == "percentile":
        lower = np.full(n.shape, alpha)
    elif interval == "expanded":
        with np.errstate(divide="ignore", invalid="ignore"):
            df = np.maximum(n - 1.0, 1.0)
            lower = stats.norm.cdf(np.sqrt(n / df) * stats.t.ppf(alpha, df))
    else:
        raise ValueError(f"interval must be 'expanded' or 'percentile', not {interval!r}")
    return lower, 1.0 - lower


def paired_stats(diff: np.ndarray, base: np.ndarray, arm: np.ndarray, level: float = 0.9,
                 n_boot: int = 2000, rng: np.random.Generator | None = None,
                 interval: str = "expanded") -> dict:
    """Statistics of paired differences ``diff`` (pairs on axis 0, any further cells).

    Returns per cell: n_pairs, baseline_mean, arm_mean, diff_mean, diff_sd, diff_lo, diff_hi
    (bootstrap ``level`` confidence interval of the mean difference: the pairs resampled with
    replacement ``n_boot`` times, the same resamples for every cell; quantiles of the resampled
    means per :func:`interval_quantiles`), rel_diff (diff_mean / baseline_mean) and p_value
    (two-sided Wilcoxon signed-rank test of the differences against 0, zero differences
    dropped; 1.0 when all are zero; NaN with fewer than two pairs). Pairs with a NaN are left
    out of that cell.
    """
    from scipy import stats

    rng = np.random.default_rng(0) if rng is None else rng
    n, cells = diff.shape[0], diff.shape[1:]
    size = int(np.prod(cells))
    d = diff.reshape(n, size)
    valid = np.isfinite(d)
    b = np.where(valid, base.reshape(n, size), np.nan)
    a = np.where(valid, arm.reshape(n, size), np.nan)
    npairs = valid.sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        dmean = np.nanmean(d, axis=0)
        bmean = np.nanmean(b, axis=0)
        amean = np.nanmean(a, axis=0)
        dsd = np.nanstd(d, axis=0, ddof=1) if n > 1 else np.full(d.shape[1], np.nan)
        dsd = np.where(npairs > 1, dsd, np.nan)
        rel = np.where(bmean != 0, dmean / np.where(bmean != 0, bmean, 1.0), np.nan)
    lo = np.full(d.shape[1], np.nan)
    hi = np.full(d.shape[1], np.nan)
    if n > 1 and n_boot > 0:
        # Resample counts: weights[b, i] = how often pair i is drawn in resample b; the mean of
        # a resample is then a matrix product, NaN pairs excluded per cell.
        idx = rng.integers(0, n, size=(n_boot, n))
        flat = (np.arange(n_boot)[:, None] * n + idx).ravel()
        weights = np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n).astype(float)
        sums = weights @ np.where(valid, d, 0.0)
        counts = weights @ valid.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = sums / counts
        q_lo, q_hi = interval_quantiles(npairs, level, interval)
        lo = np.where(npairs > 1, _quantiles_per_cell(boot, q_lo), np.nan)
        hi = np.where(npairs > 1, _quantiles_per_cell(boot, q_hi), np.nan)
    pval = np.full(d.shape[1], np.nan)
    for c in range(d.shape[1]):
        x = d[valid[:, c], c]
        if x.size < 2:
            continue
        if np.all(x == 0):
            pval[c] = 1.0
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pval[c] = float(stats.wilcoxon(x).pvalue)
    out = {"n_pairs": npairs, "baseline_mean": bmean, "arm_mean": amean, "diff_mean": dmean,
           "diff_sd": dsd, "diff_lo": lo, "diff_hi": hi, "rel_diff": rel, "p_value": pval}
    return {k: np.asarray(v).reshape(cells) for k, v in out.items()}


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
        return list(_as_str(vals))
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
    if "arm" not in ds.coords:
        ds = normalize(ds)
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
        stats = _spread(vals[pos], level)
        ens.append(_frame(head(arm_vals, pos), stats, [("time", list(times))] + extra_axes))
        for w in windows:
            wstats = _spread(_window_values(vals[pos], w), level)
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
        wvals = {w: _window_values(vals, w) for w in windows}
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

    name = _name_of(var) if not isinstance(var, xr.DataArray) else str(var.name or "value")
    return Comparison(var=name, by=by, baseline=base_value, level=level, windows=windows,
                      ensemble=_cat(ens), levels=_cat(lev), paired=_cat(pairs), values=da,
                      design=d, interval=interval)
