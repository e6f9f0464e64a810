"""The statistics of a comparison: spread over replicates, paired differences with a
bootstrap interval and the signed-rank test. Plain numpy arrays in, dicts of arrays out;
:mod:`regionsim.compare` lays them out as tables.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["spread", "interval_quantiles", "paired_stats"]


def spread(sub: np.ndarray, level: float) -> dict[str, np.ndarray]:
    """n, mean, std, median and the ``level`` quantile range (lo, hi) over axis 0 (the
    replicates), NaN-aware: a spread of outcomes, not a confidence interval."""
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

