"""Opening output files and describing their runs: the experiment design along ``run``.

A file holds ``run`` = scenarios × sweep points × replicates (one run for a plain
``regionsim run``). Every run is labelled by coordinates along ``run``:

    scenario    scenario name (str)
    <sweep>     one coordinate per swept key, e.g. ``talent__beta_wage`` (dots become ``__``;
                its ``key`` attribute holds the original ``talent.beta_wage``)
    replicate   replicate index (int); replicate k of every arm uses the same random streams
    seed        the run's seed (int)

``open`` adds one coordinate, ``arm`` (str): the scenario plus the sweep point, e.g.
``"separation talent.beta_wage=3"`` — the group of replicates a statistic is taken over — and
puts a :class:`~regionsim.runindex.RunIndex` on ``run``, ``scenario``, the sweep keys and
``replicate`` so that ``ds.sel(scenario="separation", replicate=0)`` works (see
:mod:`regionsim.runindex` for why an index on the flat ``run`` and not a MultiIndex).

``open`` also takes several files (a list or a glob pattern): they are concatenated along
``run`` (runs renumbered, swept coordinates united, NaN where a file did not sweep a key), and
the pairing of arms is checked: replicate k must have one seed in every arm.

Every function of the package that takes a dataset passes it through :func:`with_design` first,
the one gate that attaches these coordinates, so a dataset opened with plain xarray works too.
"""

from __future__ import annotations

import glob as _glob
import importlib.util
import os
import warnings

import numpy as np
import pandas as pd
import xarray as xr

from .labels import as_str, format_value
from .runindex import RunIndex

__all__ = ["open", "normalize", "with_design", "design", "design_keys", "sweep_keys",
           "sweep_key_name", "time_series_vars", "resolve_key", "flat", "RegionsimWarning",
           "FORMAT_VERSIONS"]

#: Coordinates along ``run`` that are not sweep keys.
RUN_COORDS = ("run", "scenario", "replicate", "seed", "arm", "source_file", "replicate_in_file")
#: Per-run provenance written by the engine: never a sweep key.
PROVENANCE = ("scenario_toml", "scenario_hash", "scenario_file", "scenario_extends_chain",
              "wall_seconds", "forked_from_month", "started_at", "ended_at", "threads",
              "months_written", "complete", "months_done", "last_month", "interrupted_by")
#: Output format versions this package reads (root attribute ``format_version``; files
#: without it are version 1). See docs/output.md, "Format versions".
FORMAT_VERSIONS = (1, 2)


class RegionsimWarning(UserWarning):
    """Something about the data an analyst should know (e.g. replicates renumbered by seed)."""


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


def _missing(v) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and np.isnan(v))


def arm_labels(ds: xr.Dataset) -> np.ndarray:
    """One label per run: the scenario, then ``key=value`` for every sweep key (keys a run was
    not swept over, NaN after combining files, are left out)."""
    scen = as_str(ds["scenario"].values)
    parts = [scen]
    for key in sweep_keys(ds):
        name = sweep_key_name(ds, key)
        parts.append(np.array(["" if _missing(v) else f"{name}={format_value(v)}"
                               for v in ds[key].values], dtype=object))
    return np.array([" ".join(x for x in p if x) for p in zip(*parts)], dtype=object)


def flat(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with the :class:`RunIndex` removed: ``run`` indexed by run number alone, every
    design coordinate a plain coordinate again (to drop or overwrite one of them)."""
    names = [n for n, idx in ds.xindexes.items() if isinstance(idx, RunIndex)]
    if not names:
        return ds
    out = ds.drop_indexes(names)
    return out.set_xindex("run") if "run" in out.coords else out


def _index_runs(ds: xr.Dataset) -> xr.Dataset:
    names = ["run", "scenario", *sweep_keys(ds), "replicate"]
    ds = ds.drop_indexes("run") if "run" in ds.xindexes else ds
    return ds.set_xindex(names, RunIndex, sweeps=tuple(sweep_keys(ds)))


def _open_raw(source, **kwargs) -> xr.Dataset:
    """xarray's dataset of a results file; OSError naming the file for anything else (truncated,
    not HDF5, HDF5 without netCDF dimensions)."""
    try:
        raw = xr.open_dataset(source, engine="h5netcdf", **kwargs)
    except (OSError, ValueError, KeyError, TypeError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise OSError(f"{os.fspath(source)}: not a readable results file ({reason})") from err
    if "run" not in raw.dims or "time" not in raw.dims:
        raw.close()
        raise OSError(f"{os.fspath(source)}: not a regionsim results file (no run and time "
                      "dimensions)")
    return raw


def _check_format(ds: xr.Dataset, source="") -> None:
    raw = ds.attrs.get("format_version", 1)
    try:
        version = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{source or 'dataset'}: format_version {raw!r} is not a number")
    if version not in FORMAT_VERSIONS:
        newest = max(FORMAT_VERSIONS)
        hint = ("written by a newer regionsim: update the analysis package" if version > newest
                else "too old for this package")
        raise ValueError(f"{source or 'dataset'} has output format_version {version}; this "
                         f"package (regionsim analysis) reads versions "
                         f"{', '.join(map(str, FORMAT_VERSIONS))} ({hint})")
    if source and str(ds.attrs.get("complete", "true")) in ("false", "0"):
        # Interrupted by a signal (interrupted_by), or a snapshot of a run still going or killed
        # (OUTPUT.partial-PID, docs/output.md "Partial files").
        cause = (f"interrupted by {ds.attrs['interrupted_by']}" if "interrupted_by" in ds.attrs
                 else "a snapshot of a run still going, or killed")
        warnings.warn(f"{source} is incomplete ({cause}; last month written "
                      f"{ds.attrs.get('last_month', '?')}, months done per run: "
                      f"{ds.attrs.get('months_done', '?')}): later months are missing values",
                      RegionsimWarning, stacklevel=3)


def _pair_replicates_by_seed(ds: xr.Dataset) -> xr.Dataset:
    """Replicate k must mean one seed everywhere (common random numbers). When it does not
    (files of different base seeds combined, or two single-run files with different seeds,
    both replicate 0), renumber replicates by seed, keeping the file's value as
    ``replicate_in_file``, and say so."""
    if "seed" not in ds.coords or "replicate" not in ds.coords:
        return ds
    frame = pd.DataFrame({"replicate": np.asarray(ds["replicate"].values),
                          "seed": np.asarray(ds["seed"].values)})
    seeds_per_rep = frame.groupby("replicate")["seed"].nunique()
    reps_per_seed = frame.groupby("seed")["replicate"].nunique()
    if (seeds_per_rep <= 1).all() and (reps_per_seed <= 1).all():
        return ds
    bad = seeds_per_rep[seeds_per_rep > 1].index.tolist() or \
        reps_per_seed[reps_per_seed > 1].index.tolist()
    codes, _ = pd.factorize(frame["seed"], sort=False)
    warnings.warn(f"replicate numbers do not match seeds (e.g. {bad[:3]} has several): "
                  "replicates renumbered by seed so that paired runs share their random "
                  "streams; the original numbers are in 'replicate_in_file'",
                  RegionsimWarning, stacklevel=4)
    attrs = {"long_name": "replicate index, renumbered by seed (regionsim.open)"}
    return ds.assign_coords(replicate_in_file=("run", frame["replicate"].to_numpy()),
                            replicate=("run", codes.astype(np.int64), attrs))


def normalize(ds: xr.Dataset) -> xr.Dataset:
    """Attach the run design to a dataset in the output layout (what ``open`` does after reading).

    - ``run`` becomes a dimension of size 1 if absent (a dataset of one run squeezed away), and
      is renumbered 0, 1, … when its numbers repeat (files concatenated by hand);
    - ``scenario`` as str (from the root attribute ``scenario_name`` when the file has none);
    - sweep variables along ``run`` become coordinates (they usually already are);
    - ``replicate`` when absent: runs with the same seed are the same replicate (dense rank of
      the seed), else 0, 1, … within each arm; when present but not one seed per replicate,
      renumbered by seed (with a :class:`RegionsimWarning`);
    - ``arm``: the scenario plus the sweep point, as a string label;
    - a :class:`~regionsim.runindex.RunIndex` on run, scenario, sweep keys and replicate.
    Idempotent: normalising twice changes nothing.
    """
    _check_format(ds)
    ds = flat(ds)
    if "run" not in ds.dims:
        if "run" in ds.coords:
            ds = ds.drop_vars("run")
        ds = ds.expand_dims("run")
        ds = ds.assign_coords(run=("run", np.arange(1, dtype=np.int64)))
    elif "run" not in ds.coords or not pd.Index(np.asarray(ds["run"].values)).is_unique:
        ds = ds.assign_coords(run=("run", np.arange(ds.sizes["run"], dtype=np.int64)))
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
    ds = _pair_replicates_by_seed(ds)
    ds = ds.assign_coords(arm=("run", arm_labels(ds),
                               {"long_name": "scenario and sweep point (added by regionsim.open)"}))
    return _index_runs(ds)


def with_design(ds: xr.Dataset) -> xr.Dataset:
    """The gate: ``ds`` with the run design attached (scenario, replicate, seed, sweep keys and
    ``arm`` along ``run``). ``ds`` itself when :func:`open` or :func:`normalize` already did it
    (it has ``arm``), else :func:`normalize` of it."""
    return ds if "arm" in ds.coords else normalize(ds)


def _paths(source) -> list[str] | None:
    """The files a source names: None for a single path, else the list (a glob is expanded)."""
    if isinstance(source, (list, tuple)):
        return [os.fspath(p) for p in source]
    text = os.fspath(source)
    if any(c in text for c in "*?[") and not os.path.exists(text):
        found = sorted(_glob.glob(text))
        if not found:
            raise FileNotFoundError(f"no file matches {text!r}")
        return found
    return None


def open(source, check_pairing: bool = True, **kwargs) -> xr.Dataset:  # noqa: A001
    """Open regionsim output as a lazily loaded :class:`xarray.Dataset` with its run design.

    ``source`` is a path, a list of paths or a glob pattern (``"out/*.h5"``). One file:
    ``xarray.open_dataset(path, engine="h5netcdf", **kwargs)``, then :func:`normalize`: time
    decoded to datetime64, the run design (``scenario``, sweep keys, ``replicate``, ``seed``)
    as coordinates along ``run``, the ``arm`` label, and ``.sel`` by scenario, sweep key and
    replicate. Several files: each opened the same way (lazily with dask unless ``chunks`` is
    given), then concatenated along ``run`` (see :func:`open_many`). Close it (or use a
    ``with`` block) when done.
    """
    paths = _paths(source)
    kwargs.setdefault("decode_coords", "all")   # time_bnds (CF bounds) becomes a coordinate
    if paths is not None:
        return open_many(paths, check_pairing=check_pairing, **kwargs)
    raw = _open_raw(source, **kwargs)
    try:
        _check_format(raw, os.fspath(source))
        ds = normalize(raw)
    except Exception:
        raw.close()
        raise
    ds.set_close(raw.close)
    return ds


def _same_axes(datasets, paths) -> None:
    first = datasets[0]
    for ds, path in zip(datasets[1:], paths[1:]):
        for dim in first.dims:
            if dim == "run" or dim not in ds.dims:
                continue
            a, b = np.asarray(first[dim].values), np.asarray(ds[dim].values)
            if a.shape != b.shape or not np.array_equal(a, b):
                raise ValueError(f"cannot combine {paths[0]} and {path}: their {dim!r} "
                                 f"coordinates differ ({a[:3].tolist()}… vs {b[:3].tolist()}…); "
                                 "only runs on the same months and region can share a file")


def open_many(paths, check_pairing: bool = True, **kwargs) -> xr.Dataset:
    """Several output files as one dataset along ``run`` (what ``open([a, b])`` does).

    Runs are renumbered 0, 1, … in file order; ``scenario``, ``replicate`` and ``seed`` are
    kept, ``source_file`` says where each run came from; a sweep coordinate present in only some
    files is NaN for the runs of the others; time and region coordinates must be equal; data
    variables missing from some files are dropped (with a warning). Pairing is checked: each
    replicate must have one seed in every arm (else replicates are renumbered by seed with a
    warning), and with ``check_pairing`` an arm that shares no seed with any other arm raises.
    """
    if not paths:
        raise ValueError("open: no files given")
    if len(paths) == 1:
        return open(paths[0], **kwargs)
    if "chunks" not in kwargs and importlib.util.find_spec("dask") is not None:
        kwargs["chunks"] = {}  # lazy concatenation: nothing is read until asked for
    opened, parts = [], []
    try:
        for path in paths:
            raw = _open_raw(path, **kwargs)
            opened.append(raw)
            _check_format(raw, path)
            ds = flat(normalize(raw)).drop_vars("arm")
            ds = ds.assign_coords(source_file=("run", np.array([str(path)] * ds.sizes["run"],
                                                                 dtype=object)))
            parts.append(ds)
        _same_axes(parts, paths)
        keys = list(dict.fromkeys(k for ds in parts for k in sweep_keys(ds)))
        for i, ds in enumerate(parts):
            for key in keys:
                if key not in ds.coords:
                    attrs = next(p[key].attrs for p in parts if key in p.coords)
                    fill = np.full(ds.sizes["run"], np.nan)
                    ds = ds.assign_coords({key: ("run", fill, dict(attrs))})
            parts[i] = ds
        common = set.intersection(*(set(ds.data_vars) for ds in parts))
        dropped = sorted(set.union(*(set(ds.data_vars) for ds in parts)) - common)
        if dropped:
            warnings.warn(f"variables not in every file are left out: {', '.join(dropped)}",
                          RegionsimWarning, stacklevel=2)
            parts = [ds.drop_vars([v for v in dropped if v in ds.data_vars]) for ds in parts]
        for i, ds in enumerate(parts):
            parts[i] = ds.assign_coords(run=("run", np.arange(ds.sizes["run"], dtype=np.int64)
                                             + sum(p.sizes["run"] for p in parts[:i])))
        both = xr.concat(parts, dim="run", data_vars="minimal", coords="minimal",
                         compat="override", join="override", combine_attrs="drop_conflicts")
        both.attrs["source_files"] = "\n".join(map(str, paths))
        ds = normalize(both)
        if check_pairing:
            _check_pairing(ds)
    except Exception:
        for raw in opened:
            raw.close()
        raise

    def close():
        for raw in opened:
            raw.close()

    ds.set_close(close)
    return ds


def _check_pairing(ds: xr.Dataset) -> None:
    """Every arm shares its seeds with at least one other arm (when there are several)."""
    d = design(ds)
    if "seed" not in d or d["arm"].nunique() < 2:
        return
    seeds = {arm: set(g["seed"]) for arm, g in d.groupby("arm", sort=False)}
    for arm, mine in seeds.items():
        if not any(mine & other for a, other in seeds.items() if a != arm):
            raise ValueError(f"arm {arm!r} shares no seed with any other arm, so it cannot be "
                             "paired (files run from different base seeds?). Pass "
                             "check_pairing=False to open them anyway; comparisons then pair "
                             "only runs with equal seeds")


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
    if "source_file" in ds.coords:
        cols["source_file"] = as_str(ds["source_file"].values)
    return pd.DataFrame(cols)


def time_series_vars(ds: xr.Dataset) -> list[str]:
    """Data variables with both a ``run`` and a ``time`` dimension (not per-run provenance)."""
    return [str(n) for n, v in ds.data_vars.items() if "run" in v.dims and "time" in v.dims]


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
