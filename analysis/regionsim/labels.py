"""Labels: coordinate values and names as plain strings, the same way in every module.

h5netcdf may hand back fixed-length strings as ``bytes``; tables, plot titles and arm labels want
``str``. These helpers are shared by the dataset, comparison, plotting and report modules.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["as_str", "name_of", "format_value", "axis_label", "readable_units", "display_units"]


def as_str(values) -> np.ndarray:
    """String labels as a numpy object array of ``str`` (bytes decoded as UTF-8)."""
    out = [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(values).ravel()]
    return np.array(out, dtype=object)


def name_of(var) -> str:
    """The name of what is compared or plotted: a variable name, a metric's or DataArray's
    ``name``, a function's ``__name__``; ``"value"`` when there is none."""
    if isinstance(var, str):
        return var
    name = getattr(var, "name", None) or getattr(var, "__name__", None)
    return str(name) if name else "value"


def format_value(v) -> str:
    """A design value for a label: floats as ``%g`` (3.0 -> ``3``), everything else as str."""
    if isinstance(v, (float, np.floating)):
        return f"{float(v):g}"
    return str(v)


def axis_label(name: str, units: str) -> str:
    """``name [units]``, or the name alone without units (names, not long names: long names
    are sentences and overflow an axis)."""
    return f"{name} [{units}]" if units else name


_PER = {"month-1": "per month", "person-1": "per person", "workplace-1": "per workplace",
        "firm-1": "per firm", "a-1": "per year", "year-1": "per year"}
_MONEY = re.compile(r"^\s*(1e6 CNY|1e\+06 CNY|mCNY|MCNY|million CNY|CNY)\b\s*(.*)$")
_SCALES = ((1e9, "billion CNY"), (1e6, "million CNY"), (1e3, "thousand CNY"), (1.0, "CNY"))


def readable_units(attrs) -> str:
    """The units to show a reader: the ``units_label`` attribute when there is one (e.g.
    ``million CNY per month``), else ``units`` with money and "per" spelled out
    (``mCNY month-1`` -> ``million CNY per month``); "" when neither."""
    label = attrs.get("units_label")
    if label:
        return str(label)
    units = str(attrs.get("units") or "")
    found = _MONEY.match(units)
    if found:
        name = "CNY" if found.group(1) == "CNY" else "million CNY"
        return f"{name} {_per(found.group(2))}".strip()
    return units


def _per(rest: str) -> str:
    return " ".join(_PER.get(t, t) for t in rest.split())


def display_units(units: str, typical: float, label: str = "") -> tuple[float, str]:
    """(factor, units text) to show money readably: values × factor are in CNY, thousand,
    million or billion CNY, whichever puts ``typical`` (e.g. the median) between 1 and 1000;
    ``units`` may be the file's UDUNITS string (``1e6 CNY month-1``) or an older ``mCNY …``.
    Not money: factor 1 and ``label`` (or ``units``)."""
    found = _MONEY.match(units or "")
    if not found:
        return 1.0, label or units or ""
    to_cny = 1.0 if found.group(1) == "CNY" else 1e6
    size = abs(float(typical)) * to_cny if np.isfinite(typical) else 0.0
    scale, name = next(((s, n) for s, n in _SCALES if size >= s), _SCALES[-1])
    # What follows the currency: the label's "per month per person" when the file has one
    # (format 2: units "1e6 CNY", label "million CNY per month"), else the units' "month-1".
    in_label = _MONEY.match(label or "")
    rest = in_label.group(2) if in_label else _per(found.group(2))
    return to_cny / scale, f"{name} {rest}".strip()
