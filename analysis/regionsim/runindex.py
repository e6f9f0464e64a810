"""Select runs by name: one xarray index over the design coordinates along ``run``.

``regionsim.open`` puts one :class:`RunIndex` on ``run`` together with ``scenario``, the sweep
keys and ``replicate``, so plain xarray selects runs by what they are::

    ds.sel(scenario="separation")                     # its 10 replicates, run kept
    ds.sel(scenario="separation", replicate=0)        # one run: run dropped, like isel(run=k)
    ds.sel(talent__beta_wage=3.0)                     # a sweep point (floats match to 1e-12)
    ds.sel(scenario=["baseline", "separation"])       # several values, file order kept
    ds.sel(run=12)                                    # by run number, as always
    ds.sel(scenario="sep")  ->  KeyError: scenario='sep' is not in this dataset;
                                valid: 'baseline', 'separation', 'joint-promotion'

``seed`` and ``arm`` stay plain coordinates (drop or replace them freely); the indexed ones
cannot be dropped or overwritten one at a time (xarray protects an index's coordinates), so
``ds.regionsim.flat()`` removes the index first when you need that.

Design decision: why a custom index on the flat ``run`` and not a pandas MultiIndex or an
unstacked view by default. In xarray 2023.01 (Debian 12) a MultiIndex on ``run`` breaks things
analysts do every day: ``ds.x.groupby("scenario").mean()`` raises ("conflicting multi-index
level name"), ``to_netcdf`` refuses to write, and the integer run numbers are lost; an unstacked
view turns integer counts into floats with NaN holes and breaks every ``isel(run=k)`` in the
README. This index keeps the file's flat ``run`` (integers, one position per run) and only adds
label lookup, so ``isel``, ``where``, ``groupby``, ``concat`` and ``to_netcdf`` behave exactly as
before. When you want arithmetic that pairs arms by replicate, use the unstacked view
(``ds.regionsim.unstack()``): subtracting two flat selections would align them on run numbers,
which never match across arms, so this index refuses that alignment with a message saying so
instead of returning an empty result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from xarray.core.indexes import Index
from xarray.core.indexing import IndexSelResult

__all__ = ["RunIndex"]


def _values(x) -> Any:
    return getattr(x, "values", x)


def _is_list(x) -> bool:
    return isinstance(x, (list, tuple, set, np.ndarray, pd.Index, pd.Series))


def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def _matches(column: pd.Series, want) -> np.ndarray:
    vals = column.to_numpy()
    if _is_number(want) and (np.issubdtype(vals.dtype, np.number)):
        vals = vals.astype(float)
        if np.isnan(float(want)):
            return np.isnan(vals)
        return np.isclose(vals, float(want), rtol=1e-12, atol=0.0)
    if isinstance(want, bytes):
        want = want.decode()
    return np.array([str(v) == str(want) for v in vals]) if vals.dtype == object else \
        np.asarray(vals == want)


def _show(values) -> str:
    uniq = list(dict.fromkeys(values.tolist()))
    shown = ", ".join(repr(v) for v in uniq[:20])
    return shown + (f", … ({len(uniq)} values)" if len(uniq) > 20 else "")


class RunIndex(Index):
    """Label lookup for the ``run`` dimension and its design coordinates (module docstring).

    Holds one pandas DataFrame: a row per run, a column per indexed coordinate, ``run`` (the
    run number) first. xarray 2023.01 allows one index per dimension in alignment, so the run
    number belongs to this index too. Selection returns run positions; a scalar ``run``, or
    scalars for ``scenario`` (or ``arm``), every sweep key and ``replicate``, return a single
    position and drop ``run``. Alignment follows the run numbers, as a plain index on ``run``
    would, except that objects without a run in common refuse to align (see :meth:`join`).
    """

    def __init__(self, frame: pd.DataFrame, dim: str = "run", sweeps: tuple[str, ...] = ()):
        self.frame = frame.reset_index(drop=True)
        self.dim = dim
        self.sweeps = tuple(sweeps)
        # Column arrays, kept so that isel and create_variables (called on every operation
        # that touches run) stay cheap.
        self._arrays = {c: self.frame[c].to_numpy() for c in self.frame.columns}

    @classmethod
    def _from_arrays(cls, arrays: dict, dim: str, sweeps) -> "RunIndex":
        new = cls.__new__(cls)
        new._arrays, new.dim, new.sweeps = arrays, dim, tuple(sweeps)
        new.frame = pd.DataFrame(arrays, copy=False)
        return new

    # --- construction ----------------------------------------------------------------------

    @classmethod
    def from_variables(cls, variables, *, options):
        dims = {var.dims for var in variables.values()}
        if len(dims) != 1 or len(next(iter(dims))) != 1:
            raise ValueError(f"RunIndex needs 1-D coordinates along one dimension, got {dims}")
        (dim,) = next(iter(dims))
        if dim not in variables:
            raise ValueError(f"RunIndex needs the dimension coordinate {dim!r} among its "
                             "coordinates")
        names = [dim] + [n for n in variables if n != dim]
        frame = pd.DataFrame({n: np.asarray(variables[n].values) for n in names})
        return cls(frame, dim, tuple(options.get("sweeps", ())))

    @classmethod
    def concat(cls, indexes, dim, positions=None):
        frame = pd.concat([i.frame for i in indexes], ignore_index=True)
        if positions is not None:
            order = np.argsort(np.concatenate([np.asarray(p) for p in positions]), kind="stable")
            frame = frame.iloc[order]
        sweeps = tuple(dict.fromkeys(s for i in indexes for s in i.sweeps))
        return cls(frame, dim, sweeps)

    def create_variables(self, variables=None):
        from xarray.core.variable import IndexVariable

        out = {}
        for name, values in self._arrays.items():
            old = (variables or {}).get(name)
            if old is not None and old.dtype != values.dtype and values.dtype != object:
                values = values.astype(old.dtype)
            out[name] = IndexVariable(self.dim, values,
                                      attrs=None if old is None else old.attrs,
                                      encoding=None if old is None else old.encoding)
        return out

    def to_pandas_index(self) -> pd.Index:
        return pd.Index(self._arrays[self.dim], name=self.dim)

    def _copy(self, deep=True, memo=None):
        return type(self)(self.frame.copy(deep=deep), self.dim, self.sweeps)

    # --- positional and label selection -----------------------------------------------------

    def isel(self, indexers):
        if self.dim not in indexers:
            return self
        idx = indexers[self.dim]
        if hasattr(idx, "dims"):
            if tuple(idx.dims) != (self.dim,):
                return None  # the result has new dimensions: no index can follow
            idx = idx.values
        if not isinstance(idx, slice) and np.ndim(idx) == 0:
            return None  # a single run: the dimension and this index go away
        if not isinstance(idx, slice):
            idx = np.asarray(idx)
            idx = np.flatnonzero(idx) if idx.dtype == bool else idx
        return type(self)._from_arrays({k: v[idx] for k, v in self._arrays.items()}, self.dim,
                                       self.sweeps)

    def sel(self, labels, method=None, tolerance=None):
        if method is not None or tolerance is not None:
            raise ValueError("runs are selected by exact design values: method= and "
                             "tolerance= do not apply to run, scenario, replicate or sweep keys")
        mask = np.ones(len(self.frame), dtype=bool)
        for name, want in labels.items():
            want = _values(want)
            if isinstance(want, slice):
                raise TypeError(f"{name}: select runs with a value or a list of values, not a "
                                "slice (ds.isel(run=slice(...)) or ds.where(...) for ranges)")
            column = self.frame[name]
            wanted = list(np.asarray(want).ravel()) if _is_list(want) else [want]
            hits = np.zeros(len(self.frame), dtype=bool)
            missing = []
            for w in wanted:
                m = _matches(column, w)
                if not m.any():
                    missing.append(w)
                hits |= m
            if missing:
                shown = missing[0] if len(missing) == 1 else missing
                raise KeyError(f"{name}={shown!r} is not in this dataset; valid: {_show(column)}")
            mask &= hits
        positions = np.flatnonzero(mask)
        if positions.size == 0:
            given = ", ".join(f"{k}={_values(v)!r}" for k, v in labels.items())
            raise KeyError(f"no run has {given} together; ds.regionsim.design lists the runs")
        scalars = all(not _is_list(_values(v)) for v in labels.values())
        named = set(labels)
        complete = self.dim in named or (
            {"scenario", "replicate"} <= named and set(self.sweeps) <= named)
        if scalars and complete and positions.size == 1:
            return IndexSelResult({self.dim: int(positions[0])})
        return IndexSelResult({self.dim: positions})

    # --- alignment: by run number, as a plain index on run --------------------------------------

    def equals(self, other):
        if not isinstance(other, RunIndex) or list(self._arrays) != list(other._arrays):
            return False
        return all(a.shape == b.shape and (a is b or pd.Series(a).equals(pd.Series(b)))
                   for a, b in zip(self._arrays.values(), other._arrays.values()))

    def _runs(self) -> pd.Index:
        return pd.Index(self._arrays[self.dim])

    def join(self, other, how="inner"):
        mine, theirs = self._runs(), other._runs()
        common = mine.intersection(theirs)
        if len(common) == 0 and len(mine) and len(theirs):
            raise ValueError(
                "these objects hold different runs (no run number in common), so xarray "
                "cannot line them up; arms are paired by replicate, not by run number. Use the "
                "unstacked view, e.g. u = ds.regionsim.unstack(); u.output.sel(scenario='a') - "
                "u.output.sel(scenario='b'), or regionsim.compare(...)")
        if how == "outer":
            extra = other.frame[~theirs.isin(mine)]
            frame = pd.concat([self.frame, extra], ignore_index=True)
            frame = frame.sort_values(self.dim, kind="stable")
        else:
            frame = self.frame[mine.isin(common)]
        return type(self)(frame, self.dim, tuple(dict.fromkeys(self.sweeps + other.sweeps)))

    def reindex_like(self, other, method=None, tolerance=None):
        mine = self._runs()
        if not mine.is_unique:
            raise ValueError("cannot align along run: run numbers repeat (renumber them, as "
                             "regionsim.open does for several files)")
        return {self.dim: mine.get_indexer(other._runs())}

    def rename(self, name_dict, dims_dict):
        frame = self.frame.rename(columns=dict(name_dict))
        sweeps = tuple(name_dict.get(s, s) for s in self.sweeps)
        return type(self)(frame, dims_dict.get(self.dim, self.dim), sweeps)

    def _repr_inline_(self, max_width):
        return f"RunIndex ({', '.join(map(str, self.frame.columns))})"

    def __repr__(self):
        return f"RunIndex over {list(self.frame.columns)} ({len(self.frame)} runs)"
