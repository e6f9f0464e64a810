"""Tidy tables: one row per run × month (× the dimensions you keep), one column per variable.

The table Mesa's ``get_model_vars_dataframe()`` or a NetLogo BehaviorSpace run gives: design
columns (run, scenario, sweep keys, replicate, seed, arm), ``time``, the kept dimensions, then
the variables, each reduced over the dimensions not kept (counts and money summed, prices and
indices averaged; see :data:`INTENSIVE`).

    ds.regionsim.to_frame()                                # every variable, region totals
    ds.regionsim.to_frame(["output", "wage"], dims=["zone"])
    python3 -m regionsim export FILE.h5 --tidy out.csv [--vars …] [--dims zone]

Why not ``ds.to_dataframe()``: it crosses *every* dimension of the file (run × time × zone ×
sector × skill × jurisdiction × zone_from × zone_to, 32 million rows for the default
experiment) and runs out of memory. Here the size is runs × months × the kept dims, built a
block of runs at a time; :func:`write_csv` writes block by block, so its memory does not grow
with the number of runs.
"""

from __future__ import annotations

import os
from typing import Iterator

import numpy as np
import pandas as pd
import xarray as xr

from .dataset import design, time_series_vars, with_design

__all__ = ["to_frame", "iter_frames", "write_csv", "INTENSIVE", "default_reduce"]

#: Variables that are averaged, not summed, over the dimensions a table does not keep: prices,
#: per-unit amounts and indices (a sum of zone wages means nothing).
INTENSIVE = frozenset({"wage", "rent", "amenity", "specialisation_index", "score",
                       "subsidy_offer", "subsidy_per_net_new_firm", "theil_output"})


def default_reduce(var: str) -> str:
    """``"mean"`` for :data:`INTENSIVE` variables, ``"sum"`` for counts and money."""
    return "mean" if var in INTENSIVE else "sum"


def _plan(ds: xr.Dataset, variables, reduce, dims) -> list[tuple[str, list[str], str]]:
    """(variable, dims to reduce, how) per variable of the table."""
    dims = list(dims or ())
    for dim in dims:
        if dim in ("run", "time") or dim not in ds.dims:
            raise ValueError(f"dims: {dim!r} is not a dimension to keep; choose from "
                             f"{[d for d in ds.dims if d not in ('run', 'time')]}")
    explicit = variables is not None
    if isinstance(variables, str):
        variables = [variables]
    names = list(variables) if explicit else time_series_vars(ds)
    plan = []
    for var in names:
        if var not in ds.variables or "time" not in ds[var].dims or "run" not in ds[var].dims:
            raise KeyError(f"{var!r} is not a time series of this dataset; time series: "
                           f"{', '.join(time_series_vars(ds))}")
        have = ds[var].dims
        lacking = [d for d in dims if d not in have]
        if lacking:
            if explicit:
                raise ValueError(f"{var} has no dimension {lacking[0]!r} (dims {have}); keep "
                                 "only dimensions every listed variable has")
            continue
        how = reduce.get(var) if isinstance(reduce, dict) else reduce
        how = how or default_reduce(var)
        if how not in ("sum", "mean"):
            raise ValueError(f"reduce for {var}: 'sum' or 'mean', not {how!r}")
        plan.append((var, [d for d in have if d not in ("run", "time", *dims)], how))
    if not plan:
        raise ValueError(f"no variable has every dimension of {dims}")
    return plan


def iter_frames(ds: xr.Dataset, variables=None, reduce=None, dims=(),
                runs_per_block: int = 64) -> Iterator[pd.DataFrame]:
    """The tidy table of :func:`to_frame`, a block of runs at a time (memory bounded by the
    block, not the file)."""
    ds = with_design(ds)
    dims = list(dims or ())
    plan = _plan(ds, variables, reduce, dims)
    runs = design(ds)
    times = pd.DatetimeIndex(np.asarray(ds["time"].values)) if np.issubdtype(
        ds["time"].dtype, np.datetime64) else pd.Index(np.asarray(ds["time"].values))
    kept = [(d, np.asarray(ds[d].values) if d in ds.coords else np.arange(ds.sizes[d]))
            for d in dims]
    cells = int(np.prod([len(v) for _, v in kept])) if kept else 1
    nrun = ds.sizes["run"]
    for start in range(0, nrun, max(1, int(runs_per_block))):
        stop = min(nrun, start + max(1, int(runs_per_block)))
        block = ds.isel(run=slice(start, stop))
        n = stop - start
        per_run = len(times) * cells
        cols = {c: np.repeat(runs[c].to_numpy()[start:stop], per_run) for c in runs.columns}
        cols["time"] = np.tile(np.repeat(times.to_numpy(), cells), n)
        if kept:
            grids = np.meshgrid(*[np.arange(len(v)) for _, v in kept], indexing="ij")
            for (name, labels), grid in zip(kept, grids):
                cols[name] = np.tile(np.asarray(labels, dtype=object)[grid.ravel()]
                                     if labels.dtype.kind in "OSU" else labels[grid.ravel()],
                                     n * len(times))
        for var, over, how in plan:
            da = block[var]
            if over:
                da = getattr(da, how)(over)
            da = da.transpose("run", "time", *dims)
            cols[var] = np.asarray(da.values).reshape(-1)
        yield pd.DataFrame(cols)


def to_frame(ds: xr.Dataset, variables=None, reduce=None, dims=(), runs_per_block: int = 64
             ) -> pd.DataFrame:
    """One row per run × month (× ``dims``): design columns, ``time``, the kept dims, then one
    column per variable.

    variables  names (default: every time series that has all of ``dims``)
    reduce     how to reduce the dims not kept: None (sum, or mean for :data:`INTENSIVE`
               variables), ``"sum"``, ``"mean"``, or a dict variable -> how
    dims       dimensions to keep as columns, e.g. ``["zone"]`` (default: none, region totals)
    """
    frames = list(iter_frames(ds, variables, reduce, dims, runs_per_block))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def write_csv(ds: xr.Dataset, path, variables=None, reduce=None, dims=(),
              runs_per_block: int = 16) -> int:
    """Write the tidy table as CSV (``-`` for stdout) block by block; returns the rows written.
    Times are written as ``YYYY-MM-DD``. A file is written under a temporary name and renamed
    when complete."""
    import sys

    rows = 0
    to_stdout = str(path) == "-"
    partial = None if to_stdout else f"{os.fspath(path)}.partial"
    out = sys.stdout if to_stdout else open(partial, "w", encoding="utf-8", newline="")
    try:
        for i, frame in enumerate(iter_frames(ds, variables, reduce, dims, runs_per_block)):
            frame.to_csv(out, index=False, header=(i == 0), date_format="%Y-%m-%d")
            rows += len(frame)
    except BaseException:
        if partial is not None:
            out.close()
            os.remove(partial)
        raise
    if partial is not None:
        out.close()
        os.replace(partial, path)
    return rows
