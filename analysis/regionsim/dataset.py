"""Opening output files and describing their runs: the experiment design along ``run``.

A file holds ``run`` = scenarios × sweep points × replicates (one run for a plain
``regionsim run``). Every run is labelled by coordinates along ``run``:

    scenario    scenario name (str)
    <sweep>     one coordinate per swept key, e.g. ``talent__beta_wage`` (dots become ``__``;
                its ``key`` attribute holds the original ``talent.beta_wage``)
    replicate   replicate index (int); replicate k of every arm uses the same random streams
    seed        the run's seed (int)

``open`` adds one coordinate, ``arm`` (str): the scenario plus the sweep point, e.g.
``"separation talent.beta_wage=3"`` — the group of replicates a statistic is taken over.
The grouping is a plain coordinate (not a MultiIndex on ``run``) because that survives every
xarray operation (isel, where, concat, to_netcdf) in xarray 2023.01; ``ds.regionsim.indexed()``
gives the MultiIndex view when wanted.

Every function of the package that takes a dataset passes it through :func:`with_design` first,
the one gate that attaches these coordinates, so a dataset opened with plain xarray works too.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import xarray as xr

from .labels import as_str, format_value

#: Coordinates along ``run`` that are not sweep keys.
RUN_COORDS = ("run", "scenario", "replicate", "seed", "arm")
#: Per-run provenance written by the engine: never a sweep key.
PROVENANCE = ("scenario_toml", "scenario_hash", "scenario_file", "scenario_extends_chain",
              "wall_seconds", "forked_from_month", "started_at", "ended_at", "threads",
              "months_written", "complete")


def _is_sweep_candidate(ds: xr.Dataset, name) -> bool:
    if name in RUN_COORDS or name in PROVENANCE or name not in ds.variables:
        return False
    var = ds[name]
    if var.dims != ("run",):
        return False
    if "key" in var.attrs:
        return True
    # Fallback for files without the attribute: the engine's naming of swept keys (a.b -> a__b).
    return "__" in str(name) and (np.issubdtype(var.dtype, np.number) or var.dtype == bool)


def sweep_keys(ds: xr.Dataset) -> list[str]:
    """Names of the sweep coordinates along ``run`` (e.g. ``["talent__beta_wage"]``)."""
    return [str(n) for n in ds.coords if _is_sweep_candidate(ds, n)]


def sweep_key_name(ds: xr.Dataset, coord: str) -> str:
    """The scenario key a sweep coordinate stands for (``talent.beta_wage``)."""
    return str(ds[coord].attrs.get("key", coord.replace("__", ".")))


def arm_labels(ds: xr.Dataset) -> np.ndarray:
    """One label per run: the scenario, then ``key=value`` for every sweep key."""
    scen = as_str(ds["scenario"].values)
    parts = [scen]
    for key in sweep_keys(ds):
        name = sweep_key_name(ds, key)
        parts.append(np.array([f"{name}={format_value(v)}" for v in ds[key].values], dtype=object))
    return np.array([" ".join(p) for p in zip(*parts)], dtype=object)


def normalize(ds: xr.Dataset) -> xr.Dataset:
    """Attach the run design to a dataset in the output layout (what ``open`` does after reading).

    - ``run`` becomes a dimension of size 1 if absent (a dataset of one run squeezed away);
    - ``scenario`` as str (from the root attribute ``scenario_name`` when the file has none);
    - sweep variables along ``run`` become coordinates (they usually already are);
    - ``replicate`` when absent: runs with the same seed are the same replicate (dense rank of
      the seed), else 0, 1, … within each arm;
    - ``arm``: the scenario plus the sweep point, as a string label.
    Idempotent: normalising twice changes nothing.
    """
    if "run" not in ds.dims:
        ds = ds.expand_dims("run")
        ds = ds.assign_coords(run=("run", np.arange(1, dtype=np.int64)))
    nrun = ds.sizes["run"]
    if "scenario" in ds.variables:
        ds = ds.assign_coords(scenario=("run", as_str(ds["scenario"].values),
                                        ds["scenario"].attrs))
    else:
        name = str(ds.attrs.get("scenario_name", "run"))
        ds = ds.assign_coords(scenario=("run", np.array([name] * nrun, dtype=object)))
    promote = [n for n in ds.data_vars if _is_sweep_candidate(ds, n)]
    for name in ("replicate", "seed"):
        if name in ds.data_vars and ds[name].dims == ("run",):
            promote.append(name)
    if promote:
        ds = ds.set_coords(promote)
    for key in sweep_keys(ds):
        if "key" not in ds[key].attrs:
            attrs = {**ds[key].attrs, "key": key.replace("__", ".")}
            ds = ds.assign_coords({key: ("run", np.asarray(ds[key].values), attrs)})
    if "replicate" not in ds.coords:
        if "seed" in ds.coords:
            seeds = np.asarray(ds["seed"].values)
            _, rep = np.unique(seeds, return_inverse=True)
        else:
            groups = pd.Series(arm_labels(ds))
            rep = groups.groupby(groups).cumcount().to_numpy()
        attrs = {"long_name": "replicate index (derived by regionsim.open)"}
        ds = ds.assign_coords(replicate=("run", rep.astype(np.int64), attrs))
    ds = ds.assign_coords(arm=("run", arm_labels(ds),
                               {"long_name": "scenario and sweep point (added by regionsim.open)"}))
    return ds


def with_design(ds: xr.Dataset) -> xr.Dataset:
    """The gate: ``ds`` with the run design attached (scenario, replicate, seed, sweep keys and
    ``arm`` along ``run``). ``ds`` itself when :func:`open` or :func:`normalize` already did it
    (it has ``arm``), else :func:`normalize` of it."""
    return ds if "arm" in ds.coords else normalize(ds)


def open(path: str | os.PathLike[str], **kwargs) -> xr.Dataset:  # noqa: A001
    """Open a regionsim output file as a lazily loaded :class:`xarray.Dataset`.

    ``xarray.open_dataset(path, engine="h5netcdf", **kwargs)``, then :func:`normalize`: time
    decoded to datetime64, the run design (``scenario``, sweep keys, ``replicate``, ``seed``)
    as coordinates along ``run``, plus the ``arm`` label. Works for single-run files and for
    experiment files alike. Close it (or use a ``with`` block) when done.
    """
    raw = xr.open_dataset(path, engine="h5netcdf", **kwargs)
    try:
        ds = normalize(raw)
    except Exception:
        raw.close()
        raise
    ds.set_close(raw.close)
    return ds


def design_keys(ds: xr.Dataset) -> list[str]:
    """The coordinates that define an arm: ``scenario`` then the sweep keys."""
    return ["scenario"] + sweep_keys(ds)


def design(ds: xr.Dataset) -> pd.DataFrame:
    """One row per run: run, arm, scenario, sweep keys, replicate, seed (when present)."""
    ds = with_design(ds)
    cols = {"run": np.asarray(ds["run"].values), "arm": as_str(ds["arm"].values),
            "scenario": as_str(ds["scenario"].values)}
    for key in sweep_keys(ds):
        cols[key] = np.asarray(ds[key].values)
    cols["replicate"] = np.asarray(ds["replicate"].values).astype(np.int64)
    if "seed" in ds.coords:
        cols["seed"] = np.asarray(ds["seed"].values)
    return pd.DataFrame(cols)


def time_series_vars(ds: xr.Dataset) -> list[str]:
    """Data variables with both a ``run`` and a ``time`` dimension (not per-run provenance)."""
    return [str(n) for n, v in ds.data_vars.items() if "run" in v.dims and "time" in v.dims]


@xr.register_dataset_accessor("regionsim")
class RegionsimAccessor:
    """``ds.regionsim``: the experiment design of a dataset opened with :func:`open`.

    ``design``     one row per run (run, arm, scenario, sweep keys, replicate, seed)
    ``arms``       one row per arm with its number of replicates and its run indices
    ``scenarios``, ``sweep_keys``, ``replicates``, ``variables`` (time-series variables)
    ``select(scenario=..., replicate=..., **sweep)``  the runs matching, as a dataset
    ``indexed()``  the dataset with a MultiIndex on run (scenario, sweep keys…, replicate)
    ``unstack()``  the same unstacked: dims (scenario, sweep keys…, replicate) replace run
    """

    def __init__(self, ds: xr.Dataset):
        self._ds = with_design(ds)

    @property
    def design(self) -> pd.DataFrame:
        return design(self._ds)

    @property
    def arms(self) -> pd.DataFrame:
        d = self.design
        keys = ["arm"] + design_keys(self._ds)
        grouped = d.groupby(keys, sort=False)
        out = grouped.agg(n_replicates=("replicate", "nunique"),
                          replicates=("replicate", lambda s: sorted(int(x) for x in s)),
                          runs=("run", list)).reset_index()
        return out

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
        """Runs matching every given value (a value or a list of values), as a dataset."""
        d = self.design
        mask = np.ones(len(d), dtype=bool)
        for col, want in (("scenario", scenario), ("replicate", replicate), ("arm", arm),
                          *sweep.items()):
            if want is None:
                continue
            col = resolve_key(self._ds, col)
            wanted = list(want) if isinstance(want, (list, tuple, set, np.ndarray)) else [want]
            mask &= d[col].isin(wanted).to_numpy()
        return self._ds.isel(run=np.flatnonzero(mask))

    def indexed(self) -> xr.Dataset:
        levels = design_keys(self._ds) + ["replicate"]
        return self._ds.drop_vars(["arm", "run"]).set_index(run=levels)

    def unstack(self) -> xr.Dataset:
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


def resolve_key(ds: xr.Dataset, key: str) -> str:
    """A design column name from a coordinate name or an original dotted scenario key."""
    if key in ds.coords or key in ("arm", "scenario", "replicate", "run", "seed"):
        return key
    for coord in sweep_keys(ds):
        if sweep_key_name(ds, coord) == key:
            return coord
    cand = key.replace(".", "__")
    if cand in ds.coords:
        return cand
    raise KeyError(f"{key!r} is not a coordinate along run; design keys: {design_keys(ds)}")

