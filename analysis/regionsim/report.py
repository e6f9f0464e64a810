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
import re
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Union

import numpy as np
import pandas as pd
import xarray as xr

from .compare import MIN_REPLICATES, add_verdicts, compare, levels
from .dataset import open as open_output, sweep_key_name, sweep_keys, with_design
from .labels import as_str, readable_units
from .metrics import headline
from .stats import format_p
from .version import __version__
from .windows import time_windows

__all__ = ["write_report", "build_report", "choose_baseline"]

PathLike = Union[str, os.PathLike]

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1400px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
.note { background: #fff8e0; border-left: 4px solid #e0b000; padding: 0.5em 1em; }
.meta td { text-align: left; } img { max-width: 100%; }
figure { margin: 1em 0; } figcaption { font-size: 0.85em; color: #555; }
.explore { font-size: 1.05em; background: #eef5ff; border-left: 4px solid #3a7bd5;
           padding: 0.5em 1em; }
td { white-space: nowrap; } td.verdict, th.verdict { text-align: left; white-space: normal;
  min-width: 22em; } .wide { overflow-x: auto; } h3.finding { font-size: 1em; margin-bottom: 0.2em; }
ul.findings { margin-top: 0.2em; }
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
    text = frame.to_html(index=False, table_id=table_id, float_format=_FLOAT, na_rep="",
                         border=0, escape=True)
    if "verdict" in frame.columns:
        # The sentence column wraps; every other column stays on one line.
        pos = list(frame.columns).index("verdict") + 1
        text = text.replace("<th>verdict</th>", '<th class="verdict">verdict</th>')
        text = _mark_column(text, pos, "verdict")
    return f'<div class="wide">{text}</div>'


def _mark_column(text: str, pos: int, css: str) -> str:
    """Give the pos-th <td> (1-based) of every row of an HTML table the class ``css``."""
    def row(match):
        count = 0

        def cell(m):
            nonlocal count
            count += 1
            return f'<td class="{css}">' if count == pos else m.group(0)

        return re.sub(r"<td>", cell, match.group(0))

    return re.sub(r"<tr>.*?</tr>", row, text, flags=re.S)


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


def _windows_for(by, months):
    """The report's windows: ``months`` as given; without a baseline a post-reform window is
    the whole run (there is no reform to date it from)."""
    specs = months if isinstance(months, (list, tuple)) else [months]
    if by is None:
        specs = [slice(None) if str(m).lower() in ("post-reform", "post") else m for m in specs]
    return list(dict.fromkeys(specs)) if all(isinstance(m, (str, int)) for m in specs) else specs


def _span(w, times) -> str:
    a, b = times[w.start], times[w.stop - 1]
    return f"{a:%Y-%m}" if w.stop - w.start == 1 else f"{a:%Y-%m} … {b:%Y-%m}"


def _summary_rows(paired: pd.DataFrame, metric, adjust: str) -> pd.DataFrame:
    """The reader's columns of a paired table: units, the difference with its interval, % and
    formatted p (raw and adjusted) beside the verdict. Full numbers: ``paired-<metric>``."""
    g = "{:.4g}".format
    return pd.DataFrame({
        "metric": metric.name, "arm": paired["arm"], "window": paired["window"],
        "verdict": paired["verdict"],
        "difference": [f"{g(m)} [{g(lo)}, {g(hi)}]" for m, lo, hi in
                       zip(paired["diff_mean"], paired["diff_lo"], paired["diff_hi"])],
        "units": paired["units"],
        "rel_diff_pct": [f"{100 * r:+.2f} %" if np.isfinite(r) else "" for r in
                         paired["rel_diff"]],
        "p": [format_p(x, m) for x, m in zip(paired["p_value"], paired["p_min"])],
        f"p_{adjust}": [format_p(x) for x in paired["p_adjusted"]],
        "n_pairs": paired["n_pairs"], "baseline_mean": paired["baseline_mean"],
        "months": [f"{a:%Y-%m}" if a == b else f"{a:%Y-%m}..{b:%Y-%m}"
                   for a, b in zip(paired["time_start"], paired["time_end"])]})


def build_report(ds: xr.Dataset, source: str = "", months=("post-reform", "last12"),
                 baseline=None, by: str | None = None, level: float = 0.9, n_boot: int = 2000,
                 seed: int = 0, adjust: str = "holm", explorer: str | None = None,
                 workdir: PathLike | None = None, robustness=None) -> str:
    """The report as an HTML string (see :func:`write_report`)."""
    ds = with_design(ds).load()
    if by is None:
        by, auto_base = choose_baseline(ds)
        baseline = auto_base if baseline is None else baseline
    elif baseline is None:
        baseline = list(dict.fromkeys(ds.regionsim.design[by]))[0]
    months = _windows_for(by, months)
    windows = time_windows(ds["time"], months)
    times = pd.DatetimeIndex(np.asarray(ds["time"].values))
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
    if 1 < nrep < MIN_REPLICATES and by is not None:
        notes.append(f"Only {nrep} replicates per arm (fewer than {MIN_REPLICATES}): the "
                     f"intervals are rough, and the signed-rank test cannot give p below "
                     f"{2.0 ** (1 - nrep):.2g}, so after adjustment for the many tests below "
                     f"few differences can be called significant. Run at least "
                     f"{MIN_REPLICATES} (--replicates {MIN_REPLICATES}).")

    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>regionsim report: {html.escape(source)}</title><style>{_CSS}</style>"
             f"</head><body><h1>regionsim report: {html.escape(source)}</h1>",
             _meta(ds, source)]
    if explorer:
        parts.append(f'<p class="explore">Interactive explorer: <a id="explorer-link" '
                     f'href="{html.escape(explorer)}">{html.escape(explorer)}</a> — pick a '
                     f'variable, zone or jurisdiction, arms and window; works offline in any '
                     f'browser.</p>')
    parts += [f'<p class="note">{html.escape(n)}</p>' for n in notes]

    results = []
    tmp = tempfile.TemporaryDirectory(dir=workdir)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for metric in metrics:
                lev = levels(ds, metric, months=months, level=level,
                             **({"by": by, "baseline": baseline} if by else {}))
                cmp_ = None
                if by is not None:
                    cmp_ = compare(ds, metric, by=by, baseline=baseline, months=months,
                                   level=level, n_boot=n_boot, seed=seed, adjust=None)
                results.append((metric, lev, cmp_))

        # One family for the multiple-comparison adjustment: every paired row of the report.
        paired = [(m, c.paired) for m, _, c in results if c is not None and not c.paired.empty]
        if paired:
            family = add_verdicts(pd.concat([p.assign(metric=m.name) for m, p in paired],
                                            ignore_index=True), level, adjust)
            results = [(m, lev, c if c is None or c.paired.empty else
                        replace(c, paired=family[family["metric"] == m.name]
                                .drop(columns="metric").reset_index(drop=True)))
                       for m, lev, c in results]
        ntests = int(np.isfinite(family["p_value"]).sum()) if paired else 0

        # The answer first: "what changed, and how sure are we".
        if by is not None:
            parts.append(_findings(results, windows, times, by, baseline))
            same_point = ", same sweep point" if sweep_keys(ds) and by == "scenario" else ""
            method, controls = (("Holm", "the chance of any false finding") if adjust == "holm"
                                else ("Benjamini–Hochberg", "the expected share of false "
                                      "findings"))
            post_note = "from the month each arm first differs from the baseline to the end"
            spans = "; ".join(f"<b>{html.escape(w.label)}</b>: "
                              + (post_note if not w.resolved else html.escape(_span(w, times)))
                              for w in windows)
            parts.append(
                f"<h2>Differences to the baseline</h2>"
                f"<p>Windows: {spans}. Arms are compared with <b>{html.escape(str(by))} = "
                f"{html.escape(str(baseline))}</b>, replicate by replicate (same replicate "
                f"index{same_point}, so the same random streams). <i>difference</i>: the mean "
                f"paired difference arm − baseline over the window's months, in the metric's "
                f"units (monthly flows as monthly averages), and in brackets its {pct} "
                f"bootstrap confidence interval ({n_boot} resamples of the pairs, expanded "
                f"percentile); <i>rel_diff_pct</i>: the mean difference in % of the baseline "
                f"mean. <i>p</i>: two-sided Wilcoxon signed-rank test of the paired "
                f"differences; <i>(min)</i> marks the smallest p the test can give with that "
                f"many pairs (2/2<sup>n</sup>: 0.002 with 10), i.e. every replicate moved the "
                f"same way. <i>p_{adjust}</i>: {method} adjustment over the {ntests} tests of "
                f"this table, which controls {controls}. The <i>verdict</i> reads the interval "
                f"(in % of the baseline when that is not 0) and counts the replicates that "
                f"moved the same way. Each metric's section below has the full numbers "
                f"(table <code>paired-&lt;metric&gt;</code>).</p>")
            if paired:
                parts.append(_table(pd.concat([_summary_rows(c.paired, m, adjust)
                                               for m, _, c in results
                                               if c is not None and not c.paired.empty],
                                              ignore_index=True), "summary"))
        lev_rows = [lev.assign(metric=metric.name)[
            ["metric", "units", "arm", "window", "n", "mean", "lo", "hi"]]
            for metric, lev, _ in results]
        parts.append(f"<h2>Levels by arm</h2><p>Mean over replicates of each run's average "
                     f"over the window; lo/hi: the {pct} range of the replicates (quantiles), "
                     f"a spread of outcomes, not a confidence interval.</p>")
        if lev_rows:
            parts.append(_table(pd.concat(lev_rows, ignore_index=True), "levels"))

        parts.append("<h2>Headline metrics over time</h2>")
        from .plots import plot_flows, plot_paired, plot_sweep, plot_timeseries, plot_zones

        shade = {}
        for _, lev, _ in results:
            for label, g in lev.groupby("window", sort=False):
                a, b = g["time_start"].min(), g["time_end"].max()
                old = shade.get(label, (a, b))
                shade[label] = (min(a, old[0]), max(b, old[1]))
        for metric, lev, cmp_ in results:
            label = metric.long_name or metric.name
            units = readable_units({"units": metric.units,
                                    "units_label": getattr(metric, "units_label", "")})
            parts.append(f"<h3 id='metric-{metric.name}'>{html.escape(metric.name)}: "
                         f"{html.escape(label)}"
                         f"{' [' + html.escape(units) + ']' if units else ''}</h3>")
            png = plot_timeseries(ds, metric, path=Path(tmp.name) / f"{metric.name}.png",
                                  level=level)
            parts.append(_img(png, f"{metric.name}: mean over replicates per arm, "
                                   f"band = {pct} of replicates"))
            if cmp_ is not None and not cmp_.paired.empty:
                png = plot_paired(ds, metric, by=by, baseline=baseline, level=level,
                                  n_boot=n_boot, seed=seed, windows=shade,
                                  path=Path(tmp.name) / f"{metric.name}_paired.png")
                parts.append(_img(png, f"{metric.name}: arm − baseline month by month, paired "
                                       f"by replicate; band = {pct} confidence interval of the "
                                       f"mean difference; shaded: the table's windows"))
                cols = ["arm", "window", "units", "n_pairs", "n_higher", "n_lower",
                        "baseline_mean", "arm_mean", "diff_mean", "diff_lo", "diff_hi",
                        "rel_diff", "p_value", "p_min", "p_adjusted", "verdict"]
                parts.append(_table(cmp_.paired[cols], f"paired-{metric.name}"))
            parts.append(_table(lev[["arm", "window", "units", "n", "mean", "lo", "median",
                                     "hi"]], f"levels-{metric.name}"))

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
            # The response at the last fixed window (post-reform differs by arm).
            at = next((m for m in reversed(months) if str(m).lower() not in
                       ("post-reform", "post")), "final")
            for key in keys:
                png = plot_sweep(ds, [m for m, _, _ in results], key=key, months=at,
                                 level=level, path=Path(tmp.name) / f"sweep_{key}.png")
                parts.append(_img(png, f"headline metrics ({at}) vs "
                                       f"{sweep_key_name(ds, key)}: mean over replicates, "
                                       f"band = {pct} of replicates"))
    finally:
        tmp.cleanup()

    runs = ds.regionsim.design
    for extra in ("scenario_hash", "wall_seconds", "forked_from_month"):
        if extra in ds.variables and ds[extra].dims == ("run",):
            runs[extra] = np.asarray(ds[extra].values)
    if robustness is not None:
        from . import robustness as rb

        parts.append(rb.to_html(robustness if isinstance(robustness, dict)
                                else rb.load(robustness)))
    parts.append("<h2>Runs</h2>")
    parts.append(_table(runs, "runs"))
    parts.append(_DEFINITIONS)
    parts.append("</body></html>")
    return "\n".join(parts)


def _findings(results, windows, times, by, baseline) -> str:
    """Key findings: per arm and window, one line per headline metric with its verdict."""
    rows = []
    for metric, _, cmp_ in results:
        if cmp_ is None or cmp_.paired.empty:
            continue
        for r in cmp_.paired.itertuples():
            rows.append((r.arm, r.window, f"{r.time_start:%Y-%m}..{r.time_end:%Y-%m}",
                         metric, r.verdict))
    if not rows:
        return ""
    out = ["<h2>Key findings</h2><p>Each line: the headline metric, then what the paired "
           f"runs say against <b>{html.escape(str(by))} = {html.escape(str(baseline))}</b> "
           "(interval and count of replicates; details in the table below).</p>"]
    for arm in dict.fromkeys(r[0] for r in rows):
        for window in dict.fromkeys(r[1] for r in rows if r[0] == arm):
            sel = [r for r in rows if r[0] == arm and r[1] == window]
            out.append(f"<h3 class='finding'>{html.escape(arm)} — {html.escape(window)} "
                       f"({html.escape(sel[0][2])})</h3><ul class='findings'>")
            out += [f"<li><b>{html.escape(m.long_name or m.name)}</b>: {html.escape(v)}</li>"
                    for _, _, _, m, v in sel]
            out.append("</ul>")
    return "".join(out)


_DEFINITIONS = ("<h2>Definitions</h2><ul>"
                "<li>An <b>arm</b> is a scenario at one sweep point; its runs are replicates. "
                "Replicate k of every arm uses the same random streams, so differences are "
                "taken replicate by replicate (paired).</li>"
                "<li><b>post-reform</b>: from the first month in which the arm's runs differ "
                "from their paired baseline runs (before a lever starts they are identical to "
                "the bit) to the end of the run: the reform's whole life so far. "
                "<b>last12</b>: the final 12 months.</li>"
                "<li>Totals are sums over zones and sectors (or jurisdictions). Monthly flows "
                "in the window tables are monthly averages over the window.</li>"
                "<li>theil_output: the file's variable when present, else the Theil T index "
                "of output across zones weighted by talent (employed + seeking): "
                "Σ<sub>z</sub> s<sub>z</sub> ln(s<sub>z</sub>/p<sub>z</sub>), s = output "
                "share, p = talent share; 0 when output per head is equal in every zone."
                "</li><li>zero_sum_relocations: the file's variable when present, else firms "
                "moving between zones of the region per month (the off-diagonal of "
                "firm_relocations).</li></ul>")


def write_report(source, out: PathLike = "report.html", explorer: PathLike | bool | None = None,
                 **kwargs) -> Path:
    """Write the HTML report of ``source`` (a file path or an opened dataset) to ``out``.

    Keyword arguments: ``months`` (windows of the tables, default ``("post-reform",
    "last12")``), ``by``/``baseline`` (default: scenario ``baseline``, or the first scenario;
    a file with one scenario and a sweep compares against the first sweep value), ``level``
    (0.9), ``n_boot``, ``seed``, ``adjust`` ("holm" or "bh"). ``explorer``: the interactive
    explorer page to write beside the report and link to (True: ``<out stem>-explorer.html``;
    a path; None/False: no explorer). ``robustness``: a file written by
    :func:`regionsim.robustness.save` (or its dict) for the section "How robust is this
    conclusion". Returns the path written. Plots are drawn in a temporary
    directory and embedded.
    """
    out = Path(out)
    link = None
    if explorer:
        path = out.with_name(f"{out.stem}-explorer.html") if explorer is True else Path(explorer)
        link = os.path.relpath(path, out.parent)
    if isinstance(source, xr.Dataset):
        name = str(source.encoding.get("source", "dataset"))
        text = build_report(source, source=name, explorer=link, **kwargs)
        if explorer:
            _explorer(source, path, kwargs)
    else:
        with open_output(source) as ds:
            text = build_report(ds, source=str(source), explorer=link, **kwargs)
            if explorer:
                _explorer(ds, path, kwargs)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out


def _explorer(ds, path, kwargs):
    from .explore import write_explorer

    keep = {k: kwargs[k] for k in ("by", "baseline", "level", "n_boot", "seed") if k in kwargs}
    write_explorer(ds, path, **keep)
