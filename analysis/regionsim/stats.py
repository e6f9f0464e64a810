"""The statistics of a comparison: spread over replicates, paired differences with a
bootstrap interval and the signed-rank test, multiple-comparison adjustment and plain-language
verdicts. Plain numpy arrays in, dicts of arrays out; :mod:`regionsim.compare` lays them out
as tables.

Reproducibility: every interval draws its resamples from its own stream,
:func:`stream` (seed, variable, arm, baseline arm, window months), so an interval is the same
whatever else is asked in the same call, in whatever order, and from Python, the command line
or the report alike.
"""

from __future__ import annotations

import hashlib
import warnings

import numpy as np

__all__ = ["spread", "interval_quantiles", "paired_stats", "stream", "min_signed_rank_p",
           "adjust_p", "format_p", "verdict"]


def stream(seed: int, *labels) -> np.random.Generator:
    """The random stream of one interval: a generator seeded from ``seed`` and ``labels``
    (e.g. variable, arm, baseline arm, window start and stop) through a hash that does not
    change between processes or Python versions (BLAKE2b, not ``hash()``)."""
    words = [int(seed) % 2**32, (int(seed) // 2**32) % 2**32]
    for label in labels:
        digest = hashlib.blake2b(repr(label).encode("utf-8"), digest_size=8).digest()
        words += [int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:], "little")]
    return np.random.default_rng(np.random.SeedSequence(words))


def min_signed_rank_p(n_nonzero) -> np.ndarray:
    """The smallest two-sided p-value the exact signed-rank test can give with n non-zero
    pairs: 2 / 2^n (every difference of one sign), e.g. 0.0020 for 10 pairs, 0.0625 for 5."""
    n = np.asarray(n_nonzero, dtype=float)
    with np.errstate(over="ignore"):
        return np.where(n >= 1, np.minimum(1.0, 2.0 ** (1.0 - n)), np.nan)


def adjust_p(p, method: str = "holm") -> np.ndarray:
    """p-values adjusted for multiple comparisons over the family ``p`` (NaN left out):
    ``"holm"`` (Holm–Bonferroni: controls the chance of any false finding) or ``"bh"``
    (Benjamini–Hochberg: controls the expected share of false findings)."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ranked = p[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ranked)
    elif method in ("bh", "fdr_bh", "benjamini-hochberg"):
        adj = np.minimum.accumulate((m / np.arange(m, 0, -1) * ranked[::-1]))[::-1]
    else:
        raise ValueError(f"adjust: 'holm' or 'bh', not {method!r}")
    out[order] = np.minimum(adj, 1.0)
    return out


def format_p(p: float, p_min: float = np.nan) -> str:
    """A p-value for a table: two significant digits, ``< 0.001`` below that, and ``(min)``
    when it is the smallest the test can give with these pairs (so 0.0020 with 10 pairs reads
    as "as strong as 10 pairs can show", not as a precise probability)."""
    if not np.isfinite(p):
        return ""
    text = "< 0.001" if p < 0.001 else f"{p:.2g}" if p < 0.1 else f"{p:.2f}"
    if np.isfinite(p_min) and p <= p_min * (1 + 1e-9):
        text = f"{p_min:.2g} (min)"
    return text


def _pct(x: float) -> str:
    a = abs(x)
    return f"{a:.2g}" if a < 10 else f"{a:.0f}"


def verdict(diff_lo: float, diff_hi: float, diff_mean: float, baseline_mean: float,
            n_pairs: int, n_higher: int, n_lower: int, p_adjusted: float = np.nan,
            level: float = 0.9, units: str = "", alpha: float | None = None) -> str:
    """One sentence on a paired difference, e.g. "lower by 38–44 %, in all 10 replicates".

    The range is the confidence interval (relative to the baseline mean when that is not 0,
    else in ``units``); "no clear difference" when the interval contains 0; then how many
    replicates moved the same way; and a caution when the adjusted p-value is above
    ``alpha`` (default 1 − level) although the interval excludes 0.
    """
    if n_pairs < 2 or not (np.isfinite(diff_lo) and np.isfinite(diff_hi)):
        if n_pairs == 1 and np.isfinite(diff_mean):
            return f"one pair only: difference {diff_mean:+.3g}{' ' + units if units else ''}"
        return "no paired runs"
    alpha = 1.0 - level if alpha is None else alpha
    rel = np.isfinite(baseline_mean) and baseline_mean != 0

    def span(lo, hi):
        if rel:
            lo, hi = 100 * lo / abs(baseline_mean), 100 * hi / abs(baseline_mean)
            return lo, hi, " %"
        return lo, hi, f" {units}" if units else ""

    lo, hi, unit = span(diff_lo, diff_hi)
    if diff_lo > 0 or diff_hi < 0:
        word = "higher" if diff_lo > 0 else "lower"
        a, b = sorted((abs(lo), abs(hi)))
        text = (f"{word} by {_pct(a)}–{_pct(b)}{unit}" if rel else
                f"{word} by {a:.3g}–{b:.3g}{unit}")
        same = n_higher if diff_lo > 0 else n_lower
        unchanged = n_pairs - n_higher - n_lower
        text += (f", in all {n_pairs} replicates" if same == n_pairs else
                 f", in {same} of {n_pairs} replicates"
                 + (f" ({unchanged} unchanged)" if unchanged else ""))
        if np.isfinite(p_adjusted) and p_adjusted > alpha:
            text += f"; not significant after adjustment for multiple tests (p = {p_adjusted:.2g})"
        return text[0].upper() + text[1:]
    if rel:
        return (f"No clear difference: between {lo:+.2g} % and {hi:+.2g} % "
                f"({n_higher} of {n_pairs} replicates higher)")
    return (f"No clear difference: between {diff_lo:+.3g} and {diff_hi:+.3g}{unit} "
            f"({n_higher} of {n_pairs} replicates higher)")


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
        # np.quantile is vectorised; np.nanquantile loops over cells in Python.
        q = np.quantile if np.isfinite(sub).all() else np.nanquantile
        lo, med, hi = q(sub, [a, 0.5, 1.0 - a], axis=0)
    return {"n": n, "mean": mean, "std": std, "lo": lo, "median": med, "hi": hi}


def _quantiles_per_cell(rows: np.ndarray, *qs: np.ndarray) -> list[np.ndarray]:
    """For each q in ``qs``: quantile q[c] of row c of ``rows`` (cells x resamples, NaN
    ignored), linear interpolation as np.quantile. One partial sort for all of them."""
    m = np.sum(np.isfinite(rows), axis=1)
    top = np.maximum(m - 1, 0)
    positions = [np.broadcast_to(q * top, top.shape) for q in qs]
    kth = sorted({int(k) for pos in positions for k in np.concatenate(
        [np.floor(pos), np.minimum(np.floor(pos) + 1, top)])})
    if rows.shape[1] and (m == rows.shape[1]).all():
        # No NaN: the few order statistics needed, in linear time (np.partition), instead of
        # a full sort of every cell's resamples.
        ordered = np.partition(rows, kth, axis=1)
    else:
        ordered = np.sort(rows, axis=1)  # NaN sort last
    out = []
    for pos in positions:
        below = np.floor(pos).astype(int)
        above = np.minimum(below + 1, top)
        lo = np.take_along_axis(ordered, below[:, None], axis=1)[:, 0]
        hi = np.take_along_axis(ordered, above[:, None], axis=1)[:, 0]
        out.append(np.where(m > 0, lo + (pos - below) * (hi - lo), np.nan))
    return out


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
                 interval: str = "expanded", tests: bool = True) -> dict:
    """Statistics of paired differences ``diff`` (pairs on axis 0, any further cells).

    Returns per cell: n_pairs, n_higher, n_lower (pairs with a positive / negative
    difference), baseline_mean, arm_mean, diff_mean, diff_sd, diff_lo, diff_hi
    (bootstrap ``level`` confidence interval of the mean difference: the pairs resampled with
    replacement ``n_boot`` times, the same resamples for every cell; quantiles of the resampled
    means per :func:`interval_quantiles`), rel_diff (diff_mean / baseline_mean) and p_value
    (two-sided Wilcoxon signed-rank test of the differences against 0, zero differences
    dropped; 1.0 when all are zero; NaN with fewer than two pairs) with p_min, the smallest
    p-value possible for that many non-zero pairs. Pairs with a NaN are left out of that cell.
    ``tests=False`` skips the signed-rank test (p_value NaN), e.g. for a band over months.
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
        # cells x resamples, so that each cell's resampled means are contiguous.
        sums = np.where(valid, d, 0.0).T @ weights.T
        counts = valid.astype(float).T @ weights.T
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = sums / counts
        q_lo, q_hi = interval_quantiles(npairs, level, interval)
        qlo, qhi = _quantiles_per_cell(boot, q_lo, q_hi)
        lo = np.where(npairs > 1, qlo, np.nan)
        hi = np.where(npairs > 1, qhi, np.nan)
    pval = np.full(d.shape[1], np.nan)
    nonzero = np.sum(valid & (np.where(valid, d, 0.0) != 0), axis=0)
    for c in range(d.shape[1] if tests else 0):
        x = d[valid[:, c], c]
        if x.size < 2:
            continue
        if np.all(x == 0):
            pval[c] = 1.0
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pval[c] = float(stats.wilcoxon(x).pvalue)
    dz = np.where(valid, d, 0.0)
    out = {"n_pairs": npairs, "n_higher": np.sum(dz > 0, axis=0),
           "n_lower": np.sum(dz < 0, axis=0), "baseline_mean": bmean, "arm_mean": amean,
           "diff_mean": dmean, "diff_sd": dsd, "diff_lo": lo, "diff_hi": hi, "rel_diff": rel,
           "p_value": pval,
           "p_min": np.where(tests, min_signed_rank_p(nonzero), np.nan)}
    return {k: np.asarray(v).reshape(cells) for k, v in out.items()}

