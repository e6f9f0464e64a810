"""Time windows: where along ``time`` a comparison, a level or a plot is taken.

``months`` is ``"final"``, ``"lastN"``, ``"yearN"``, ``"post-reform"``, a position, a date, a
slice of those, or a list of those (see :func:`time_windows`); a window is the months
[start, stop) averaged.

``"post-reform"`` is the whole period after an arm first departs from its baseline: from the
first month in which any time series of the arm differs from the paired baseline run (arms
share their random streams, so before a lever starts they are identical to the bit) to the
end. It answers "what did the reform do over its whole life", which the final months alone
can miss (a saving in the first years can be spent again later).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Window", "time_windows", "window_mean", "POST_REFORM", "divergence_month"]

#: The label of the post-reform window (and the spellings accepted for it).
POST_REFORM = "post-reform"
_POST_SPELLINGS = ("post-reform", "post_reform", "postreform", "post", "after-reform")


@dataclass(frozen=True)
class Window:
    """Months [start, stop) along ``time`` (positions), averaged; ``label`` names the spec.
    A post-reform window has ``start = -1`` until it is resolved for an arm."""

    label: str
    start: int
    stop: int

    @property
    def resolved(self) -> bool:
        return self.start >= 0

    def resolve(self, start: int | None) -> "Window":
        """The post-reform window starting at ``start`` (None: the whole run)."""
        if self.resolved:
            return self
        return Window(self.label, 0 if start is None else int(min(start, self.stop - 1)),
                      self.stop)


def divergence_month(arm_values: list[np.ndarray], base_values: list[np.ndarray]
                     ) -> int | None:
    """The first month (position) at which any of the arrays (run, time, …) of the arm
    differ from the paired baseline arrays; None when they never differ."""
    first = None
    for a, b in zip(arm_values, base_values):
        a, b = np.asarray(a), np.asarray(b)
        with np.errstate(invalid="ignore"):
            diff = (a != b)
            if a.dtype.kind == "f":
                diff &= ~(np.isnan(a) & np.isnan(b))
        per_month = diff.reshape(diff.shape[0], diff.shape[1], -1).any(axis=(0, 2))
        hits = np.flatnonzero(per_month)
        if hits.size:
            first = int(hits[0]) if first is None else min(first, int(hits[0]))
    return first


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
    simulated year, months 12(N−1) … 12N−1); ``"post-reform"`` (from the month an arm departs
    from its baseline to the end; unresolved, ``start = -1``, until
    :meth:`Window.resolve` gives its start); an int (position along time, negative from the
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
        if isinstance(spec, str) and spec.lower() in _POST_SPELLINGS:
            out.append(Window(POST_REFORM, -1, n))
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


def window_mean(vals: np.ndarray, w: Window) -> np.ndarray:
    """Mean over the window's months of vals (run, time, …) -> (run, …), NaN ignored."""
    if not w.resolved:
        raise ValueError("a post-reform window needs its start (Window.resolve) before use")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(vals[:, w.start:w.stop], axis=1)

