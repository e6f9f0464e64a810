"""Labels: coordinate values and names as plain strings, the same way in every module.

h5netcdf may hand back fixed-length strings as ``bytes``; tables, plot titles and arm labels want
``str``. These helpers are shared by the dataset, comparison, plotting and report modules.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_str", "name_of", "format_value", "axis_label"]


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
