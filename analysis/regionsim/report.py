"""A self-contained HTML report of an output file: headline metrics, paired differences to the
baseline with intervals and p-values, plots embedded as PNG data URIs.

    PYTHONPATH=analysis /usr/bin/python3 -m regionsim report out/default.h5 -o report.html

The tables are plain HTML ``<table>`` elements with ids (``summary``, ``levels``,
``paired-<metric>``, ``levels-<metric>``, ``runs``) so they can be read back with
``pandas.read_html``. Numbers are printed with 6 significant digits.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
import warnings
from pathlib import Path
from typing import Union

import numpy as np
import pandas as pd
import xarray as xr

from .compare import compare, levels
from .dataset import open as open_output, sweep_key_name, sweep_keys, with_design
from .labels import as_str
from .metrics import headline
from .version import __version__
from .windows import time_windows

__all__ = ["write_report", "build_report", "choose_baseline"]

PathLike = Union[str, os.PathLike]

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1150px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
.note { background: #fff8e0; border-left: 4px solid #e0b000; padding: 0.5em 1em; }
.meta td { text-align: left; } img { max-width: 100%; }
figure { margin: 1em 0; } figcaption { font-size: 0.85em; color: #555; }
"""

_FLOAT = "{:.6g}".format


def choose_baseline(ds: xr.Dataset) -> tuple[str | None, object]:
    """(by, baseline) for the report: scenario "baseline" (else the first scenario) when the
    file has several scenarios; else the first value of the first sweep key; else (None, None).
    """
    scenarios = list(dict.fromkeys(as_str(ds["scenario"].values)))
    if len(scenarios) > 1:
        return "scenario", "baseline" if "baseline" in scenarios else scenarios[0]
    for key in sweep_keys(ds):
        vals = list(dict.fromkeys(np.asarray(ds[key].values).tolist()))
        if len(vals) > 1:
            return key, vals[0]
    return None, None


def _img(path: Path, caption: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _table(frame: pd.DataFrame, table_id: str) -> str:
    frame = frame.copy()
    for col in frame.columns:
        if np.issubdtype(frame[col].dtype, np.datetime64):
            frame[col] = frame[col].dt.strftime("%Y-%m")
    return frame.to_html(index=False, table_id=table_id, float_format=_FLOAT, na_rep="",
                         border=0, escape=True)


def _meta(ds: xr.Dataset, source: str) -> str:
    rows = [("file", source)]
    for attr in ("title", "experiment", "command_line", "base_seed", "engine_version",
                 "git_commit", "build_type", "started_at"):
        if attr in ds.attrs:
            rows.append((attr, str(ds.attrs[attr])))
    d = ds.regionsim.design
    times = pd.DatetimeIndex(np.asarray(ds["time"].values))

    def values_of(key):
        return ", ".join(f"{v:g}" if isinstance(v, float) else str(v)
                         for v in dict.fromkeys(d[key]))

    rows += [("runs", str(ds.sizes["run"])),
             ("scenarios", ", ".join(ds.regionsim.scenarios)),
             ("sweep keys", "; ".join(f"{sweep_key_name(ds, k)} = {values_of(k)}"
                                      for k in sweep_keys(ds)) or "none"),
             ("replicates per arm", ", ".join(str(n) for n in
                                              sorted(set(ds.regionsim.arms["n_replicates"])))),
             ("months", f"{len(times)} ({times[0]:%Y-%m} … {times[-1]:%Y-%m})"),
             ("report by", f"regionsim analysis {__version__}")]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                   for k, v in rows)
    return f'<table class="meta">{body}</table>'


def build_report(ds: xr.Dataset, source: str = "", months="last12", baseline=None,
                 by: str | None = None, level: float = 0.9, n_boot: int = 2000, seed: int = 0,
                 workdir: PathLike | None = None) -> str:
    """The report as an HTML string (see :func:`write_report`)."""
    ds = with_design(ds).load()
    if by is None:
        by, auto_base = choose_baseline(ds)
        baseline = auto_base if baseline is None else baseline
    elif baseline is None:
        baseline = list(dict.fromkeys(ds.regionsim.design[by]))[0]
    window = time_windows(ds["time"], months)
    if len(window) != 1:
        raise ValueError("report: months must name one window")
    window = window[0]
    times = pd.DatetimeIndex(np.asarray(ds["time"].values))
    span = (f"{times[window.start]:%Y-%m}" if window.stop - window.start == 1 else
            f"mean of the {window.stop - window.start} months {times[window.start]:%Y-%m} … "
            f"{times[window.stop - 1]:%Y-%m}")
    arms = ds.regionsim.arms
    nrep = int(arms["n_replicates"].max())
    metrics = headline(ds)
    pct = f"{level:.0%}"

    notes = []
    if ds.sizes["run"] == 1:
        notes.append("This file holds a single run: the values are that run's; with no "
                     "replicates there are no intervals, and with no other arm there are no "
                     "differences to a baseline.")
    elif nrep == 1:
        notes.append("One replicate per arm: differences to the baseline are single paired "
                     "differences, without confidence interval or test. Run more replicates "
                     "(--replicates N) for intervals.")
    elif by is None:
        notes.append("All runs belong to one arm: levels with intervals over replicates, but "
                     "no baseline to compare with.")

    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>regionsim report: {html.escape(source)}</title><style>{_CSS}</style>"
             f"</head><body><h1>regionsim report: {html.escape(source)}</h1>",
             _meta(ds, source)]
    parts += [f'<p class="note">{html.escape(n)}</p>' for n in notes]

    results = []
    tmp = tempfile.TemporaryDirectory(dir=workdir)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for metric in metrics:
                lev = levels(ds, metric, months=months, level=level)
                cmp_ = None
                if by is not None:
                    cmp_ = compare(ds, metric, by=by, baseline=baseline, months=months,
                                   level=level, n_boot=n_boot, seed=seed)
                results.append((metric, lev, cmp_))

        # Summary first: the question is usually "what changed, and how sure are we".
        if by is not None:
            same_point = ", same sweep point" if sweep_keys(ds) and by == "scenario" else ""
            rows = []
            for metric, _, cmp_ in results:
                p = cmp_.paired
                if p.empty:
                    continue
                rows.append(p.assign(metric=metric.name)[
                    ["metric", "arm", "baseline_arm", "n_pairs", "baseline_mean", "arm_mean",
                     "diff_mean", "diff_lo", "diff_hi", "rel_diff", "p_value"]])
            parts.append(f"<h2>Final-year differences to the baseline</h2>"
                         f"<p>Window: {html.escape(window.label)} ({html.escape(span)}). "
                         f"Arms are compared with <b>{html.escape(str(by))} = "
                         f"{html.escape(str(baseline))}</b>, replicate by replicate (same "
                         f"replicate index{same_point}). diff_mean is the mean paired "
                         f"difference arm − baseline; diff_lo/diff_hi its {pct} bootstrap "
                         f"confidence interval ({n_boot} resamples of the pairs, expanded "
                         f"percentile); rel_diff = diff_mean / "
                         f"baseline_mean; p_value from the Wilcoxon signed-rank test of the "
                         f"paired differences (two-sided).</p>")
            if rows:
                parts.append(_table(pd.concat(rows, ignore_index=True), "summary"))
        lev_rows = [lev.assign(metric=metric.name)[
            ["metric", "arm", "n", "mean", "lo", "hi"]] for metric, lev, _ in results]
        parts.append(f"<h2>Final-year levels by arm</h2><p>Window: {html.escape(span)}. mean "
                     f"over replicates; lo/hi: the {pct} range of the replicates (quantiles), "
                     f"a spread of outcomes, not a confidence interval.</p>")
        if lev_rows:
            parts.append(_table(pd.concat(lev_rows, ignore_index=True), "levels"))

        parts.append("<h2>Headline metrics over time</h2>")
        from .plots import plot_flows, plot_sweep, plot_timeseries, plot_zones

        for metric, lev, cmp_ in results:
            label = metric.long_name or metric.name
            parts.append(f"<h3 id='metric-{metric.name}'>{html.escape(metric.name)}: "
                         f"{html.escape(label)}"
                         f"{' [' + html.escape(metric.units) + ']' if metric.units else ''}</h3>")
            png = plot_timeseries(ds, metric, path=Path(tmp.name) / f"{metric.name}.png",
                                  level=level)
            parts.append(_img(png, f"{metric.name}: mean over replicates per arm, "
                                   f"band = {pct} of replicates"))
            if cmp_ is not None and not cmp_.paired.empty:
                cols = ["arm", "at", "n_pairs", "baseline_mean", "arm_mean", "diff_mean",
                        "diff_lo", "diff_hi", "rel_diff", "p_value"]
                parts.append(_table(cmp_.paired[cols], f"paired-{metric.name}"))
            parts.append(_table(lev[["arm", "at", "n", "mean", "lo", "median", "hi"]],
                                f"levels-{metric.name}"))

        zone_vars = [v for v in ("output", "employment") if v in ds.variables
                     and "zone" in ds[v].dims]
        if zone_vars:
            parts.append("<h2>By zone</h2>")
            for var in zone_vars:
                png = plot_zones(ds, var, path=Path(tmp.name) / f"{var}_by_zone.png",
                                 level=level)
                parts.append(_img(png, f"{var} by zone (summed over the other dimensions)"))
        flows = [v for v in ds.regionsim.variables
                 if {"zone_from", "zone_to"} <= set(ds[v].dims)]
        if flows:
            parts.append("<h2>Relocations between zones</h2>")
            for var in flows:
                png = plot_flows(ds, var, path=Path(tmp.name) / f"{var}.png")
                parts.append(_img(png, f"{var}: whole run, mean over replicates"))
        keys = [k for k in sweep_keys(ds) if len(set(np.asarray(ds[k].values).tolist())) > 1]
        if keys:
            parts.append("<h2>Sweep responses</h2>")
            for key in keys:
                png = plot_sweep(ds, [m for m, _, _ in results], key=key, months=months,
                                 level=level, path=Path(tmp.name) / f"sweep_{key}.png")
                parts.append(_img(png, f"headline metrics ({window.label}) vs "
                                       f"{sweep_key_name(ds, key)}: mean over replicates, "
                                       f"band = {pct} of replicates"))
    finally:
        tmp.cleanup()

    runs = ds.regionsim.design
    for extra in ("scenario_hash", "wall_seconds", "forked_from_month"):
        if extra in ds.variables and ds[extra].dims == ("run",):
            runs[extra] = np.asarray(ds[extra].values)
    parts.append("<h2>Runs</h2>")
    parts.append(_table(runs, "runs"))
    parts.append("<h2>Definitions</h2><ul>"
                 "<li>An <b>arm</b> is a scenario at one sweep point; its runs are replicates. "
                 "Replicate k of every arm uses the same random streams, so differences are "
                 "taken replicate by replicate (paired).</li>"
                 "<li>Totals are sums over zones and sectors (or jurisdictions). Monthly flows "
                 "in the final-year tables are monthly averages over the window.</li>"
                 "<li>theil_output: the file's variable when present, else the Theil T index "
                 "of output across zones weighted by talent (employed + seeking): "
                 "Σ<sub>z</sub> s<sub>z</sub> ln(s<sub>z</sub>/p<sub>z</sub>), s = output "
                 "share, p = talent share; 0 when output per head is equal in every zone."
                 "</li><li>zero_sum_relocations: the file's variable when present, else firms "
                 "moving between zones of the region per month (the off-diagonal of "
                 "firm_relocations).</li></ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(source, out: PathLike = "report.html", **kwargs) -> Path:
    """Write the HTML report of ``source`` (a file path or an opened dataset) to ``out``.

    Keyword arguments: ``months`` (window of the final-year tables, default ``"last12"``),
    ``by``/``baseline`` (default: scenario ``baseline``, or the first scenario; a file with one
    scenario and a sweep compares against the first sweep value), ``level`` (0.9), ``n_boot``,
    ``seed``. Returns the path written. Plots are drawn in a temporary directory and embedded.
    """
    out = Path(out)
    if isinstance(source, xr.Dataset):
        text = build_report(source, source=str(source.encoding.get("source", "dataset")),
                            **kwargs)
    else:
        with open_output(source) as ds:
            text = build_report(ds, source=str(source), **kwargs)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out
