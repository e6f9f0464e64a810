"""Plots of output files: one call draws one PNG and returns its path.

Experiments (every arm, mean over replicates with a band):

    plot_timeseries(ds, "output")                     mean and replicate band per arm over time
    plot_zones(ds, "employment")                      the same, one panel per zone
    plot_flows(ds, "firm_relocations", months="last12")   zone x zone heatmap per arm
    plot_sweep(ds, "output", key="talent.beta_wage")  value at a month vs the swept key

One run (the quick look; ``python3 -m regionsim.quicklook FILE -o DIR`` on the command line):

    quicklook(path, outdir, run=0)                    the five PLOTS below of one run

Bands are the ``level`` (default 90 %) quantile range of the replicates: where single runs
fall, not a confidence interval of the mean (``compare`` gives that). Figures are drawn with
matplotlib's object API on the Agg canvas, so importing this module never changes the
matplotlib backend of an interactive session (only the command line selects Agg). PNGs are
overwritten without asking.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .compare import ensemble, levels, paired_series, values
from .dataset import open as open_output, resolve_key, sweep_key_name, sweep_keys, with_design
from .labels import as_str, axis_label, display_units, name_of, readable_units
from .windows import time_windows

__all__ = ["plot_timeseries", "plot_paired", "plot_zones", "plot_flows", "flows_figure",
           "plot_sweep", "quicklook", "run_name", "PLOTS"]

PathLike = Union[str, os.PathLike]


def _prepare(ds, select):
    ds = with_design(ds)
    if select:
        ds = ds.regionsim.select(**select)
        if ds.sizes["run"] == 0:
            raise ValueError(f"select={select!r} matches no run")
    return ds


def _figure(width, height):
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: PathLike) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return path


def _reduced(ds, var, reduce) -> str:
    """' (sum over zone, sector)' or '' — what reduce did, for titles."""
    if reduce is None or callable(reduce):
        return ""
    base = ds[var] if isinstance(var, str) and var in ds.variables else None
    if isinstance(reduce, str):
        extra = [d for d in base.dims if d not in ("run", "time")] if base is not None else []
        return f" ({reduce} over {', '.join(extra)})" if extra else ""
    if isinstance(reduce, dict):
        parts = [f"{how} over {dim}" if isinstance(how, str) and how in ("sum", "mean", "median",
                                                                         "min", "max", "std")
                 else f"{dim}={how}" for dim, how in reduce.items()]
        return f" ({', '.join(parts)})"
    return ""


def _colors(n):
    import matplotlib

    cmap = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def _units(ds, var, da=None) -> str:
    units = ""
    if da is not None:
        units = str(da.attrs.get("units", ""))
    if not units and isinstance(var, str) and var in ds.variables:
        units = str(ds[var].attrs.get("units", ""))
    if not units:
        units = str(getattr(var, "units", "") or "")
    return units


def _band(ax, x, frame, color, label, level):
    ax.plot(x, frame["mean"].to_numpy(), color=color, label=label, lw=1.6)
    if (frame["n"] > 1).any():
        ax.fill_between(x, frame["lo"].to_numpy(dtype=float), frame["hi"].to_numpy(dtype=float),
                        color=color, alpha=0.2, lw=0)


def _note(level, ens):
    nrep = int(ens["n"].max()) if len(ens) else 0
    if nrep > 1:
        return f"line: mean over replicates; band: {level:.0%} of replicates (n ≤ {nrep})"
    return "one run per arm: no band"


def _single(da, what):
    extra = [d for d in da.dims if d not in ("run", "time")]
    if extra:
        raise ValueError(f"{what}: {da.name} still has dims {extra}; pass reduce='sum', "
                         "'mean' or a dict such as {'zone': 'core', 'sector': 'sum'}")


def plot_timeseries(ds, var, reduce="sum", level: float = 0.9, path: PathLike | None = None,
                    select: dict | None = None, title: str | None = None) -> Path:
    """Mean over replicates per arm over time, with the ``level`` band of the replicates.

    ``var`` and ``reduce`` as in :func:`regionsim.compare` (default: sum over every dim but run
    and time; pass ``reduce="mean"`` for prices). ``select`` restricts runs, e.g.
    ``{"scenario": ["baseline", "separation"]}``. Default path: ``<var>_timeseries.png``.
    """
    ds = _prepare(ds, select)
    name = name_of(var)
    da = values(ds, var, reduce)
    _single(da, "plot_timeseries")
    ens = ensemble(ds, da, reduce=None, level=level)
    factor, units = _display(ens["mean"], _units(ds, var, da), da.attrs)
    ens[["mean", "lo", "hi"]] = ens[["mean", "lo", "hi"]].astype(float) * factor
    fig = _figure(9, 4.8)
    ax = fig.add_subplot()
    arms = list(dict.fromkeys(ens["arm"]))
    for arm, color in zip(arms, _colors(len(arms))):
        sub = ens[ens["arm"] == arm]
        _band(ax, sub["time"].to_numpy(), sub, color, arm, level)
    ax.set_title(title or f"{name}{_reduced(ds, var, reduce)} by arm\n{_note(level, ens)}",
                 fontsize="medium")
    ax.set_xlabel("time")
    ax.set_ylabel(axis_label(name, units))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    return _save(fig, path or f"{name}_timeseries.png")


def _display(values, units: str, attrs) -> tuple[float, str]:
    """(factor, units text) for drawing: money in CNY/thousand/million/billion as fits."""
    vals = np.abs(np.asarray(values, dtype=float))
    typical = float(np.nanmedian(vals)) if np.isfinite(vals).any() else 0.0
    return display_units(str(attrs.get("units", "") or units), typical,
                         readable_units(attrs) or units)


def plot_paired(ds, var, by: str = "scenario", baseline="baseline", reduce="sum",
                level: float = 0.9, n_boot: int = 2000, seed: int = 0,
                path: PathLike | None = None, select: dict | None = None,
                windows: dict | None = None, title: str | None = None) -> Path:
    """Arm minus baseline, month by month: the mean paired difference (same replicate) with
    its bootstrap ``level`` confidence band, one line per arm; a dashed line where each arm
    first departs from the baseline; ``windows`` (label -> (start, end) dates) shaded.

    This is the picture behind the paired tables: whether a difference is lasting, passing or
    reversing. Default path: ``<var>_paired.png``.
    """
    ds = _prepare(ds, select)
    name = name_of(var)
    da = values(ds, var, reduce)
    _single(da, "plot_paired")
    ser = paired_series(ds, da.rename(name), by=by, baseline=baseline, reduce=None,
                        level=level, n_boot=n_boot, seed=seed)
    fig = _figure(9, 4.2)
    ax = fig.add_subplot()
    if ser.empty:
        ax.text(0.5, 0.5, "no arm to pair with the baseline", ha="center", va="center",
                transform=ax.transAxes)
        return _save(fig, path or f"{name}_paired.png")
    factor, units = _display(ser["baseline_mean"], _units(ds, var, da), da.attrs)
    arms = list(dict.fromkeys(ser["arm"]))
    for arm, color in zip(arms, _colors(len(arms) + 1)[1:]):
        sub = ser[ser["arm"] == arm]
        x = sub["time"].to_numpy()
        ax.plot(x, factor * sub["diff_mean"].to_numpy(dtype=float), color=color, lw=1.6,
                label=f"{arm} − {sub['baseline_arm'].iloc[0]}")
        ax.fill_between(x, factor * sub["diff_lo"].to_numpy(dtype=float),
                        factor * sub["diff_hi"].to_numpy(dtype=float), color=color,
                        alpha=0.2, lw=0)
        start = sub["reform_start"].iloc[0]
        if pd.notna(start):
            ax.axvline(start, color=color, ls="--", lw=1)
    for i, (label, (a, b)) in enumerate((windows or {}).items()):
        ax.axvspan(a, b, color="0.5", alpha=0.08 + 0.06 * i, lw=0)
        ax.text(a, 1.0, f" {label}", transform=ax.get_xaxis_transform(), va="top",
                fontsize="x-small", color="0.3")
    ax.axhline(0.0, color="black", lw=0.8)
    n = int(ser["n_pairs"].max())
    ax.set_title(title or f"{name}{_reduced(ds, var, reduce)}: arm − baseline, paired by "
                 f"replicate\nline: mean difference; band: {level:.0%} confidence interval "
                 f"({n} pairs); dashed: first month the arm differs", fontsize="medium")
    ax.set_xlabel("time")
    ax.set_ylabel(axis_label(f"Δ {name}", units))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    return _save(fig, path or f"{name}_paired.png")


def plot_zones(ds, var, dim: str = "zone", reduce="sum", level: float = 0.9,
               path: PathLike | None = None, select: dict | None = None, ncols: int = 3) -> Path:
    """Small multiples: one panel per value of ``dim`` (zones), mean and band per arm.

    The other dims of ``var`` are reduced by ``reduce`` ("sum" or "mean"). Default path:
    ``<var>_by_<dim>.png``.
    """
    ds = _prepare(ds, select)
    name = name_of(var)
    da = values(ds, var, None)
    if dim not in da.dims:
        raise ValueError(f"plot_zones: {name} has no dimension {dim!r} (dims {da.dims})")
    others = [d for d in da.dims if d not in ("run", "time", dim)]
    if others:
        if reduce not in ("sum", "mean"):
            raise ValueError("plot_zones: reduce must be 'sum' or 'mean'")
        da = getattr(da, reduce)(others, keep_attrs=True)
    ens = ensemble(ds, da, reduce=None, level=level)
    labels = list(dict.fromkeys(ens[dim]))
    ncols = max(1, min(ncols, len(labels)))
    nrows = int(np.ceil(len(labels) / ncols))
    fig = _figure(4.2 * ncols, 3.2 * nrows + 0.6)
    arms = list(dict.fromkeys(ens["arm"]))
    colors = dict(zip(arms, _colors(len(arms))))
    first = None
    for i, label in enumerate(labels):
        ax = fig.add_subplot(nrows, ncols, i + 1, sharex=first)
        first = first or ax
        for arm in arms:
            sub = ens[(ens["arm"] == arm) & (ens[dim] == label)]
            _band(ax, sub["time"].to_numpy(), sub, colors[arm], arm, level)
        ax.set_title(f"{dim} {label}", fontsize="medium")
        ax.grid(True, alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30, labelsize="small")
        if i % ncols == 0:
            ax.set_ylabel(axis_label(name, _units(ds, var, da)))
    handles, names = first.get_legend_handles_labels()
    fig.suptitle(f"{name} by {dim}" + (f" ({reduce} over {', '.join(others)})" if others else "")
                 + f"\n{_note(level, ens)}", fontsize="medium")
    fig.legend(handles, names, loc="lower right", fontsize="small")
    return _save(fig, path or f"{name}_by_{dim}.png")


def plot_flows(ds, var: str = "firm_relocations", months=None, path: PathLike | None = None,
               select: dict | None = None) -> Path:
    """Heatmap per arm of a (zone_from, zone_to) flow: mean over replicates of its sum over
    the months of ``months`` (``None``: the whole run; e.g. ``"last12"``, ``"year5"``, a slice).

    One panel per arm, on a shared colour scale. Default path: ``<var>_matrix.png``.
    """
    return _save(flows_figure(ds, var, months, select), path or f"{var}_matrix.png")


def flows_figure(ds, var: str = "firm_relocations", months=None, select: dict | None = None
                 ) -> Figure:
    """The figure :func:`plot_flows` saves (for tests and for embedding elsewhere)."""
    ds = _prepare(ds, select)
    da = values(ds, var, None)
    pair = [d for d in da.dims if d not in ("run", "time")]
    if len(pair) != 2:
        other = [d for d in pair if d not in ("zone_from", "zone_to")]
        if not {"zone_from", "zone_to"} <= set(pair):
            raise ValueError(f"plot_flows: {var} is not a zone_from x zone_to flow ({da.dims})")
        da = da.sum(other)
        pair = ["zone_from", "zone_to"]
    da = da.transpose("run", "time", *pair)
    if months is None:
        start, stop, span = 0, da.sizes["time"], "whole run"
    else:
        windows = time_windows(da["time"], months)
        if len(windows) != 1:
            raise ValueError("plot_flows: give one window in months")
        start, stop, span = windows[0].start, windows[0].stop, windows[0].label
    times = pd.DatetimeIndex(np.asarray(da["time"].values)) if np.issubdtype(
        da["time"].dtype, np.datetime64) else None
    if times is not None:
        span += f", {times[start]:%Y-%m}..{times[stop - 1]:%Y-%m}"
    summed = np.asarray(da.isel(time=slice(start, stop)).sum("time").values, dtype=float)
    arms = list(dict.fromkeys(as_str(ds["arm"].values)))
    arm_of_run = as_str(ds["arm"].values)
    mats, nreps = [], []
    for arm in arms:
        idx = np.flatnonzero(arm_of_run == arm)
        mats.append(np.nanmean(summed[idx], axis=0))
        nreps.append(len(idx))
    peak = max((float(np.nanmax(m)) for m in mats if m.size), default=0.0) or 1.0
    ncols = min(3, len(arms))
    nrows = int(np.ceil(len(arms) / ncols))
    # Tall enough for the square panels, the one-line panel titles, the two-line figure title
    # and the "to" axis label: constrained layout cannot shrink square (imshow) panels.
    fig = _figure(4.6 * ncols + 1.2, 4.9 * nrows + 1.1)
    src = as_str(da[pair[0]].values)
    dst = as_str(da[pair[1]].values)
    image = None
    axes = []
    for i, (arm, mat, nrep) in enumerate(zip(arms, mats, nreps)):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        axes.append(ax)
        image = ax.imshow(mat, cmap="viridis", vmin=0.0, vmax=peak)
        ax.set_xticks(range(len(dst)), dst, fontsize="small", rotation=30)
        ax.set_yticks(range(len(src)), src, fontsize="small")
        ax.set_xlabel("to")
        ax.set_ylabel("from")
        ax.set_title(f"{arm} (mean of {nrep} run{'s' if nrep > 1 else ''})",
                     fontsize="small")
        for r in range(mat.shape[0]):
            for c in range(mat.shape[1]):
                v = mat[r, c]
                ax.text(c, r, f"{v:.3g}", ha="center", va="center", fontsize="x-small",
                        color="black" if v > 0.6 * peak else "white")
    fig.suptitle(f"{var}: sum over months ({span}),\nmean over replicates",
                 fontsize="medium")
    fig.colorbar(image, ax=axes, shrink=0.8, label=f"{var}, sum over the months")
    return fig


def plot_sweep(ds, var, key: str | None = None, months="final", reduce="sum",
               level: float = 0.9, path: PathLike | None = None,
               select: dict | None = None, ncols: int = 3) -> Path:
    """Response curve: the value at ``months`` (default the final month) against the swept
    ``key``, one line per scenario (and per value of any other sweep key), mean over
    replicates with the ``level`` band of the replicates. ``var`` may be a list: one panel per
    variable or metric. Default path: ``<var>_sweep_<key>.png``.
    """
    ds = _prepare(ds, select)
    keys = sweep_keys(ds)
    if not keys:
        raise ValueError("plot_sweep: the dataset has no sweep coordinate")
    if key is None:
        if len(keys) > 1:
            raise ValueError(f"plot_sweep: several sweep keys {keys}; pass key=")
        key = keys[0]
    key = resolve_key(ds, key)
    many = isinstance(var, (list, tuple))
    variables = list(var) if many else [var]
    group_cols = ["scenario"] + [k for k in keys if k != key]
    ncols = max(1, min(ncols, len(variables)))
    nrows = int(np.ceil(len(variables) / ncols))
    fig = _figure(7.5 if not many else 4.6 * ncols, 4.8 if not many else 3.6 * nrows + 0.8)
    note = when = ""
    for i, v in enumerate(variables):
        name = name_of(v)
        da = values(ds, v, reduce)
        _single(da, "plot_sweep")
        lev = levels(ds, da, months=months, reduce=None, level=level)
        windows = list(dict.fromkeys(lev["window"]))
        if len(windows) != 1:
            raise ValueError("plot_sweep: give one window in months")
        ax = fig.add_subplot(nrows, ncols, i + 1)
        groups = list(lev.groupby(group_cols[0] if len(group_cols) == 1 else group_cols,
                                  sort=False))
        for (label, sub), color in zip(groups, _colors(len(groups))):
            label = label if isinstance(label, tuple) else (label,)
            text = " ".join([str(label[0])] + [
                f"{sweep_key_name(ds, k)}={x:g}" if isinstance(x, float)
                else f"{sweep_key_name(ds, k)}={x}" for k, x in zip(group_cols[1:], label[1:])])
            sub = sub.sort_values(key)
            x = sub[key].to_numpy()
            ax.plot(x, sub["mean"].to_numpy(), marker="o", color=color, label=text)
            if (sub["n"] > 1).any():
                ax.fill_between(x, sub["lo"].to_numpy(dtype=float),
                                sub["hi"].to_numpy(dtype=float), color=color, alpha=0.2, lw=0)
        start, end = lev["time_start"].iloc[0], lev["time_end"].iloc[0]
        when = f"{windows[0]}" + (f" ({start:%Y-%m})" if start == end else
                                  f" (mean {start:%Y-%m}..{end:%Y-%m})")
        note = _note(level, lev)
        ax.set_xlabel(sweep_key_name(ds, key))
        ax.set_ylabel(axis_label(name, _units(ds, v, da)), fontsize="small" if many else None)
        ax.grid(True, alpha=0.3)
        if many:
            ax.set_title(name, fontsize="medium")
        if i == 0:
            ax.legend(fontsize="small")
    head = (f"at {when} vs {sweep_key_name(ds, key)}\n{note}" if many else
            f"{name_of(var)}{_reduced(ds, var, reduce)} at {when}\n"
            f"vs {sweep_key_name(ds, key)}; {note}")
    (fig.suptitle if many else fig.axes[0].set_title)(head, fontsize="medium")
    default = f"{'metrics' if many else name_of(var)}_sweep_{key}.png"
    return _save(fig, path or default)


# --- the quick look: one run of a file -----------------------------------------------------------

#: The quick-look PNGs, in the order :func:`quicklook` writes them.
PLOTS = (
    "firms_by_zone.png",                     # firms per zone over time (all sectors)
    "employment_by_zone.png",                # employment per zone over time (all sectors)
    "wage_rent_by_zone.png",                 # wage and rent per zone over time (two panels)
    "budget_subsidies_by_jurisdiction.png",  # budget and subsidies paid per jurisdiction
    "firm_relocations.png",                  # firm relocations over the whole run, zone x zone
)


def run_name(one) -> str:
    """``scenario, replicate r (seed s, run k)`` for a dataset or array of one run."""
    parts = []
    for name in ("scenario", "replicate", "seed", "run"):
        if name in one.coords and one[name].ndim == 0:
            value = one[name].values.item()
            parts.append(value.decode() if isinstance(value, bytes) else value)
        else:
            parts.append(None)
    scen, rep, seed, run = parts
    text = str(scen) if scen is not None else "run"
    if rep is not None:
        text += f", replicate {rep}"
    extra = [f"seed {seed}" if seed is not None else "", f"run {run}" if run is not None else ""]
    extra = [e for e in extra if e]
    return text + (f" ({', '.join(extra)})" if extra else "")


def _lines_by(ax, da, dim: str, title: str) -> None:
    """One line per value of ``dim`` of one run, time on the x axis (money in readable units:
    a wage of 0.0134 million CNY is drawn as 13.4 thousand CNY)."""
    typical = float(np.nanmedian(np.abs(np.asarray(da.values, dtype=float)))) if da.size else 0
    factor, units = display_units(str(da.attrs.get("units", "")), typical,
                                  readable_units(da.attrs))
    for i, label in enumerate(as_str(da[dim].values)):
        ax.plot(da["time"].values, factor * np.asarray(da.isel({dim: i}).values, dtype=float)
                if factor != 1 else da.isel({dim: i}).values, label=label)
    ax.set_title(title)
    ax.set_xlabel("time")
    ax.set_ylabel(axis_label(str(da.name), units))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", title=dim)


def _run_panels(one, panels, path: Path) -> Path:
    """Panels stacked vertically, one per (variable, dim, title), of the run ``one``."""
    fig = _figure(8, 4.5 if len(panels) == 1 else 7)
    first = None
    for i, (var, dim, title) in enumerate(panels):
        ax = fig.add_subplot(len(panels), 1, i + 1, sharex=first)
        first = first or ax
        da = one[var]
        if "sector" in da.dims:
            da = da.sum("sector", keep_attrs=True)
        _lines_by(ax, da, dim, title)
        if i + 1 < len(panels):
            ax.set_xlabel("")
    fig.suptitle(run_name(one), fontsize="medium")
    return _save(fig, path)


def _relocation_matrix(one, path: Path) -> Path:
    da = one["firm_relocations"].sum("time").transpose("zone_from", "zone_to")
    counts = np.asarray(da.values)
    fig = _figure(6.5, 5.5)
    ax = fig.add_subplot()
    image = ax.imshow(counts, cmap="viridis")
    src, dst = as_str(da["zone_from"].values), as_str(da["zone_to"].values)
    ax.set_xticks(range(len(dst)), dst)
    ax.set_yticks(range(len(src)), src)
    ax.set_xlabel("to zone")
    ax.set_ylabel("from zone")
    ax.set_title(f"Firm relocations, whole run\n{run_name(one)}", fontsize="medium")
    peak = counts.max() if counts.size else 0
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            value = counts[i, j]
            text = f"{value:.0f}" if float(value).is_integer() else f"{value:.3g}"
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="black" if peak and value > 0.6 * peak else "white")
    # The variable is a monthly flow; summed over time it is a plain count of moves.
    fig.colorbar(image, ax=ax, label="firms moved, sum over all months")
    return _save(fig, path)


#: Per quick-look PNG: the variables it needs and how to draw it from one run.
_QUICKLOOK = (
    (("firms",), lambda one, path: _run_panels(
        one, [("firms", "zone", "Firms by zone (all sectors)")], path)),
    (("employment",), lambda one, path: _run_panels(
        one, [("employment", "zone", "Employment by zone (all sectors)")], path)),
    (("wage", "rent"), lambda one, path: _run_panels(
        one, [("wage", "zone", "Wage by zone"), ("rent", "zone", "Rent by zone")], path)),
    (("budget", "subsidies_paid"), lambda one, path: _run_panels(
        one, [("budget", "jurisdiction", "Budget by jurisdiction"),
              ("subsidies_paid", "jurisdiction", "Subsidies paid by jurisdiction")], path)),
    (("firm_relocations",), _relocation_matrix),
)


def quicklook(source, outdir: PathLike, run: int = 0) -> tuple[list[Path], list[tuple[str, str]]]:
    """Draw the quick-look :data:`PLOTS` of one run of ``source`` (a path or a dataset) into
    ``outdir`` (created if needed).

    Returns (written paths, skipped plot names with the reason). A plot whose variables are
    missing from the file is skipped, not fatal, so older or partial files still get the rest.
    """
    if not hasattr(source, "data_vars"):
        with open_output(source) as ds:
            return quicklook(ds, outdir, run=run)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ds = source
    nruns = ds.sizes.get("run", 1)
    if not 0 <= run < nruns:
        raise IndexError(f"run index {run} out of range: the file holds {nruns} run(s)")
    one = ds.isel(run=run) if "run" in ds.dims else ds
    written, skipped = [], []
    for name, (needs, draw) in zip(PLOTS, _QUICKLOOK):
        absent = [v for v in needs if v not in ds.variables]
        if absent:
            skipped.append((name, "missing variable(s): " + ", ".join(absent)))
            continue
        written.append(draw(one, outdir / name))
    return written, skipped
