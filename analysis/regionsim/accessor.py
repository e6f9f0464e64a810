"""``ds.regionsim``: the experiment design of a dataset, and the views an analyst asks for.

    ds.regionsim.design        one row per run (run, arm, scenario, sweep keys, replicate, seed)
    ds.regionsim.arms          one row per arm with its number of replicates and its runs
    ds.regionsim.scenarios, .sweep_keys, .replicates, .variables (time-series variables)
    ds.regionsim.select(scenario=..., replicate=..., **sweep)   runs matching, run kept
    ds.regionsim.groupby("scenario")   xarray's groupby, results in the file's order of arms
    ds.regionsim.to_frame(...)  a tidy table: one row per run x month (x chosen dims)
    ds.regionsim.flat()         without the RunIndex (run indexed by number only)
    ds.regionsim.indexed()      a pandas MultiIndex on run (scenario, sweep keys…, replicate)
    ds.regionsim.unstack()      dims (scenario, sweep keys…, replicate) replace run
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .dataset import (design, design_keys, flat, resolve_key, sweep_keys, time_series_vars,
                      with_design)
from .labels import as_str

__all__ = ["RegionsimAccessor", "OrderedGroupBy"]


class OrderedGroupBy:
    """xarray's GroupBy whose results list the groups in the order they appear in the file
    (xarray sorts them alphabetically: 'baseline', 'joint-promotion', 'separation')."""

    def __init__(self, obj, name: str):
        self._name = name
        self._order = list(dict.fromkeys(np.asarray(obj[name].values).tolist()))
        self._groupby = flat(obj).groupby(name)

    def _reorder(self, result):
        if isinstance(result, (xr.Dataset, xr.DataArray)) and self._name in result.dims:
            return result.sel({self._name: self._order})
        return result

    def __getattr__(self, attr):
        value = getattr(self._groupby, attr)
        if not callable(value):
            return value

        def call(*args, **kwargs):
            return self._reorder(value(*args, **kwargs))

        return call

    def __iter__(self):
        groups = dict(iter(self._groupby))
        return iter([(k, groups[k]) for k in self._order])

    def __repr__(self):
        return f"OrderedGroupBy({self._name!r}, groups in file order {self._order})"


@xr.register_dataset_accessor("regionsim")
class RegionsimAccessor:
    """``ds.regionsim``: see the module docstring."""

    def __init__(self, ds: xr.Dataset):
        self._ds = with_design(ds)

    @property
    def design(self) -> pd.DataFrame:
        return design(self._ds)

    @property
    def arms(self) -> pd.DataFrame:
        d = self.design
        keys = ["arm"] + design_keys(self._ds)
        grouped = d.groupby(keys, sort=False, dropna=False)
        return grouped.agg(n_replicates=("replicate", "nunique"),
                           replicates=("replicate", lambda s: sorted(int(x) for x in s)),
                           runs=("run", list)).reset_index()

    @property
    def scenarios(self) -> list[str]:
        return list(dict.fromkeys(as_str(self._ds["scenario"].values)))

    @property
    def sweep_keys(self) -> list[str]:
        return sweep_keys(self._ds)

    @property
    def replicates(self) -> list[int]:
        return sorted({int(r) for r in np.asarray(self._ds["replicate"].values)})

    @property
    def variables(self) -> list[str]:
        return time_series_vars(self._ds)

    def select(self, scenario=None, replicate=None, arm=None, **sweep) -> xr.Dataset:
        """Runs matching every given value (a value or a list of values), as a dataset; the
        run dimension is always kept. A value not in the file raises KeyError listing the
        valid ones. Sweep keys may be given by coordinate name or dotted key
        (``**{"talent.beta_wage": 3}``)."""
        d = self.design
        mask = np.ones(len(d), dtype=bool)
        for col, want in (("scenario", scenario), ("replicate", replicate), ("arm", arm),
                          *sweep.items()):
            if want is None:
                continue
            col = resolve_key(self._ds, col)
            wanted = list(want) if isinstance(want, (list, tuple, set, np.ndarray)) else [want]
            column = d[col]
            hits = np.zeros(len(d), dtype=bool)
            for w in wanted:
                if isinstance(w, (int, float, np.number)) and column.dtype.kind in "iuf":
                    m = np.isclose(column.to_numpy(dtype=float), float(w), rtol=1e-12, atol=0)
                else:
                    m = (column.astype(str) == str(w)).to_numpy()
                if not m.any():
                    valid = ", ".join(repr(v) for v in dict.fromkeys(column.tolist()))
                    raise KeyError(f"{col}={w!r} is not in this dataset; valid: {valid}")
                hits |= m
            mask &= hits
        return self._ds.isel(run=np.flatnonzero(mask))

    def groupby(self, name: str) -> OrderedGroupBy:
        """``ds.groupby(name)`` with results in the file's order of the groups."""
        return OrderedGroupBy(self._ds, resolve_key(self._ds, name))

    def to_frame(self, variables=None, reduce=None, dims=(), runs_per_block: int = 64
                 ) -> pd.DataFrame:
        """A tidy table: one row per run × month (× ``dims``), design columns first.

        See :func:`regionsim.tidy.to_frame`; unlike ``ds.to_dataframe()``, which crosses every
        dimension of the file, its size is runs × months × the kept dims only.
        """
        from .tidy import to_frame

        return to_frame(self._ds, variables, reduce=reduce, dims=dims,
                        runs_per_block=runs_per_block)

    def flat(self) -> xr.Dataset:
        """The dataset without the RunIndex: ``run`` indexed by number only."""
        return flat(self._ds)

    def indexed(self) -> xr.Dataset:
        """``run`` as a pandas MultiIndex (scenario, sweep keys…, replicate). Note: in xarray
        2023.01 such a dataset cannot be written with ``to_netcdf`` and ``groupby`` over a
        level fails; use it for ``unstack`` or pandas-style selection."""
        levels = design_keys(self._ds) + ["replicate"]
        return flat(self._ds).drop_vars(["arm", "run"]).set_index(run=levels)

    def unstack(self) -> xr.Dataset:
        """Dims (scenario, sweep keys…, replicate) instead of run: paired arithmetic by
        replicate is then plain xarray (``u.x.sel(scenario="a") - u.x.sel(scenario="b")``).
        Missing combinations are NaN (integers become floats)."""
        import warnings

        with warnings.catch_warnings():
            # xarray casts its NaN fill value to int variables even when no cell is missing.
            warnings.simplefilter("ignore", RuntimeWarning)
            return self.indexed().unstack("run")

    def __repr__(self) -> str:
        arms = self.arms
        return (f"<regionsim design: {self._ds.sizes['run']} runs, {len(arms)} arms, "
                f"scenarios {self.scenarios}, sweep keys {self.sweep_keys}, "
                f"replicates {self.replicates}>")
