"""The interactive explorer: one self-contained HTML page to browse an experiment offline.

    python3 -m regionsim explore out/default.h5 -o out/explorer.html
    regionsim.write_explorer(ds, "explorer.html")

A policy reader picks a variable, a zone or jurisdiction (or the region total), the arms and a
window, and sees two linked charts: the level of each arm over time (mean over replicates with
the band holding ``level`` of them) and the paired difference arm − baseline (mean difference
with its confidence band), the window shaded; below them a table of the window's paired
differences with the same interval, p-value and verdict as :func:`regionsim.compare` and the
report (same streams, so the same numbers).

Design decisions:

- **One file, no network.** plotly.js comes from Debian's ``python3-plotly`` (it ships the
  library as ``/usr/share/python3-plotly/plotly.js``) and is inlined, with the data as JSON, so
  the page opens from disk, by mail or from an archive. It is large (about 9 MB of library).
- **Everything precomputed in Python.** Bands, paired intervals and verdicts come from the
  package's own statistics; the page only draws. Money is shown in CNY, thousand, million or
  billion CNY, whichever reads best.
- **Testable state.** The URL hash selects the view (``#var=wage&place=zone:core&arms=
  baseline,separation&window=last12``); after every drawing the page writes its state into
  ``#status`` (``data-ready``, ``data-draws``, ``data-var`` …), which a headless browser test
  reads. ``then=var:NAME`` (or ``place:``, ``window:``) changes that selector after the first
  drawing, through the same ``change`` event a click fires; ``data-history`` lists every
  drawing (``output:all:post-reform;wage:all:post-reform``).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .compare import add_verdicts, compare, divergence, prepare
from .dataset import open as open_output, with_design
from .labels import as_str, display_units, readable_units
from .metrics import total, variable
from .stats import format_p, paired_stats, spread, stream
from .tidy import default_reduce
from .windows import time_windows

__all__ = ["write_explorer", "explorer_data", "PLOTLY_JS"]

#: Debian's copy of plotly.js (package python3-plotly); plotly.offline.get_plotlyjs() reads it.
PLOTLY_JS = Path("/usr/share/python3-plotly/plotly.js")
#: Dimensions a reader can pick a place from, in order of preference.
PLACES = ("zone", "jurisdiction")
#: Variables listed first (the report's headline metrics come from these).
FIRST = ("output", "employment", "firms", "tax_collected", "subsidies_paid", "theil_output",
         "zero_sum_relocations")


def _plotly_js() -> str:
    try:
        from plotly.offline import get_plotlyjs

        return get_plotlyjs()
    except (ImportError, OSError):
        if PLOTLY_JS.is_file():
            return PLOTLY_JS.read_text(encoding="utf-8")
        raise RuntimeError("the explorer needs plotly.js: install Debian's python3-plotly "
                           "(scripts/bootstrap.sh run does)")


def _r(x, factor=1.0):
    """Numbers for JSON: 6 significant digits, None for NaN."""
    a = np.asarray(x, dtype=float) * factor
    return [None if not np.isfinite(v) else float(f"{v:.6g}") for v in a.ravel()]


def _metric(ds, var):
    """The metric for a variable's region total (named as the report names it)."""
    da = ds[var]
    if not [d for d in da.dims if d not in ("run", "time")]:
        return variable(var, "sum", name=var)
    how = default_reduce(var)
    return total(var) if how == "sum" else variable(var, how)


def _windows(ntime: int) -> list:
    """(id, label, months spec): the windows a reader can pick. Few on purpose: each costs a
    bootstrap per series and arm, and the difference chart shows the rest month by month."""
    specs = [("post-reform", "post-reform", "post-reform"),
             ("last12", "last 12 months", "last12"), ("whole", "whole run", slice(None))]
    if ntime >= 24:
        specs.append(("first-half", "first half of the run", slice(0, ntime // 2)))
        specs.append(("second-half", "second half of the run", slice(ntime // 2, ntime)))
    return specs


def explorer_data(ds: xr.Dataset, variables=None, by=None, baseline=None, level: float = 0.9,
                  n_boot: int = 2000, seed: int = 0) -> dict:
    """Everything the explorer page draws, as a JSON-ready dict."""
    from .report import choose_baseline

    ds = with_design(ds).load()
    if by is None:
        by, auto = choose_baseline(ds)
        baseline = auto if baseline is None else baseline
    names = list(variables) if variables else sorted(
        ds.regionsim.variables, key=lambda v: (FIRST.index(v) if v in FIRST else len(FIRST), v))
    times = pd.DatetimeIndex(np.asarray(ds["time"].values))
    specs = _windows(len(times))
    months = [m for _, _, m in specs]
    arms = list(dict.fromkeys(as_str(ds["arm"].values)))
    cache = {}   # first month each arm departs from its baseline, computed once per pair
    out = {"source": str(ds.encoding.get("source", "")), "title": str(ds.attrs.get("title", "")),
           "times": [f"{t:%Y-%m-%d}" for t in times], "arms": arms, "by": by,
           "baseline": None if baseline is None else str(baseline), "level": level,
           "windows": [{"id": i, "label": lab} for i, lab, _ in specs],
           "variables": [], "series": {}}
    for var in names:
        da = ds[var]
        place_dim = next((p for p in PLACES if p in da.dims), None)
        places = [("all", "region total" if place_dim or len(da.dims) > 2 else "value")]
        if place_dim:
            places += [(f"{place_dim}:{p}", f"{place_dim} {p}")
                       for p in as_str(ds[place_dim].values)]
        out["variables"].append({"name": var, "long_name": str(da.attrs.get("long_name", "")),
                                 "places": [{"id": i, "label": lab} for i, lab in places]})
        metric = _metric(ds, var)
        _series(out, ds, var, ["all"], metric, by, baseline, months, specs, level, n_boot, seed,
                cache)
        if place_dim:
            how = default_reduce(var)
            others = [d for d in da.dims if d not in ("run", "time", place_dim)]
            per_place = getattr(da, how)(others, keep_attrs=True) if others else da
            # One comparison for all places of a variable: its cells share the resamples.
            _series(out, ds, var, [pid for pid, _ in places[1:]],
                    per_place.rename(f"{var}_by_{place_dim}"), by, baseline, months, specs,
                    level, n_boot, seed, cache)
    return out


def _series(out, ds, var, places, what, by, baseline, months, specs, level, n_boot, seed,
            cache):
    """The page's data for ``var`` at each of ``places`` (the cells of ``what`` after run and
    time: one for a region total, one per zone or jurisdiction)."""
    s = prepare(ds, what, by or "scenario", baseline, None, pair=by is not None, warn=False)
    vals = s.vals.reshape(s.vals.shape[0], s.vals.shape[1], len(places))
    base_vals = vals[s.pairing[next(iter(s.pairing))][2]] if s.pairing else vals
    entries = []
    for k in range(len(places)):
        typical = np.abs(base_vals[..., k])
        factor, units = display_units(str(s.da.attrs.get("units", "")),
                                      float(np.nanmedian(typical)) if typical.size else 0.0,
                                      readable_units(s.da.attrs))
        entries.append(({"units": units, "levels": {}, "diff": {}, "windows": {}}, factor))
    for i, (_, pos) in enumerate(s.arms):
        st = spread(vals[pos], level)
        for k, (entry, factor) in enumerate(entries):
            entry["levels"][s.arm(i)] = {q: _r(st[q][:, k], factor) for q in ("mean", "lo", "hi")}
            entry["levels"][s.arm(i)]["n"] = int(len(pos))
    for i, (base_pos, ia, ib) in s.pairing.items():
        base_arm = s.d.loc[base_pos[0], "arm"]
        a, b = vals[ia], vals[ib]
        st = paired_stats(a - b, b, a, level=level, n_boot=n_boot, tests=False,
                          rng=stream(seed, s.name, s.arm(i), base_arm, "monthly"))
        start = divergence(s.ds, ia, ib, cache)
        for k, (entry, factor) in enumerate(entries):
            entry["diff"][s.arm(i)] = {q: _r(st[f"diff_{q}"][:, k], factor)
                                       for q in ("mean", "lo", "hi")}
            entry["diff"][s.arm(i)].update(start=start, baseline_arm=base_arm)
    ids = {w.label: wid for (wid, _, _), w in zip(specs, time_windows(ds["time"], months))}
    if s.pairing:
        # compare() itself (same streams), so the window rows equal the report's and Python's.
        c = compare(ds, what, by=by, baseline=baseline, months=months, level=level,
                    n_boot=n_boot, seed=seed, adjust=None, cache=cache)
        # The page shows one window at a time: p is adjusted over the arms of that window (and
        # place), as compare(months=that window) does.
        cell = [d for d, _ in s.extra_axes]
        table = pd.concat([add_verdicts(g, level) for _, g in
                           c.paired.groupby(["window", *cell] if cell else "window",
                                            sort=False)])
        labels = list(s.extra_axes[0][1]) if cell else [None]
        for r in table.itertuples():
            k = labels.index(getattr(r, cell[0])) if cell else 0
            entry, factor = entries[k]
            entry["windows"].setdefault(ids.get(r.window, r.window), {})[r.arm] = {
                "months": f"{r.time_start:%Y-%m}..{r.time_end:%Y-%m}",
                "n": int(r.n_pairs), "base": _r([r.baseline_mean], factor)[0],
                "arm": _r([r.arm_mean], factor)[0], "diff": _r([r.diff_mean], factor)[0],
                "lo": _r([r.diff_lo], factor)[0], "hi": _r([r.diff_hi], factor)[0],
                "rel": _r([100 * r.rel_diff])[0], "p": format_p(r.p_value, r.p_min),
                "p_adj": format_p(r.p_adjusted), "verdict": r.verdict}
    else:
        times = pd.DatetimeIndex(np.asarray(ds["time"].values))
        for w, (wid, _, _) in zip(time_windows(ds["time"], months), specs):
            w = w.resolve(0)
            for entry, _ in entries:
                entry["windows"][wid] = {
                    "months": f"{times[w.start]:%Y-%m}..{times[w.stop - 1]:%Y-%m}"}
    for place, (entry, _) in zip(places, entries):
        out["series"][f"{var}|{place}"] = entry


def write_explorer(source, out: os.PathLike | str = "explorer.html", variables=None,
                   **kwargs) -> Path:
    """Write the explorer page of ``source`` (a path or an opened dataset) to ``out``.

    ``variables``: the time series to offer (default: all); ``by``, ``baseline``, ``level``,
    ``n_boot``, ``seed`` as in :func:`regionsim.compare`. Returns the path written.
    """
    if not isinstance(source, xr.Dataset):
        with open_output(source) as ds:
            return write_explorer(ds, out, variables=variables, **kwargs)
    data = explorer_data(source, variables=variables, **kwargs)
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    title = f"regionsim explorer: {data['source'] or data['title']}"
    page = (_PAGE.replace("@TITLE@", html.escape(title))
            .replace("@PLOTLY@", _plotly_js())
            .replace("@DATA@", payload)
            .replace("@SCRIPT@", _SCRIPT))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(page, encoding="utf-8")
    partial.replace(out)
    return out


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>@TITLE@</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1em 2em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 0.5em 0; }
#controls { display: flex; flex-wrap: wrap; gap: 1.2em; align-items: flex-start;
            background: #f5f7fa; padding: 0.6em 1em; border-radius: 6px; }
#controls label { font-size: 0.85em; color: #555; display: block; }
#arms label { display: inline; margin-right: 0.8em; color: #222; font-size: 0.9em; }
.plot { width: 100%; height: 380px; }
table { border-collapse: collapse; font-size: 0.85em; margin-top: 0.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; }
th { background: #f3f3f3; } td:first-child, td:last-child { text-align: left; }
#status { font-size: 0.75em; color: #888; }
#help { font-size: 0.85em; color: #555; max-width: 70em; }
</style>
<script>@PLOTLY@</script>
</head><body>
<h1>@TITLE@</h1>
<p id="help">Pick what to look at. Top: each arm's level (line: mean over replicates; band:
the middle <span class="lvl"></span> of the replicates). Bottom: arm − baseline, replicate by
replicate (line: mean paired difference; band: its <span class="lvl"></span> confidence
interval; dashed: the first month the arm differs from the baseline). The shaded window is the
one the table describes: its paired differences with the interval, the signed-rank p ("(min)":
the smallest p these pairs allow) and p adjusted (Holm) over the arms shown for the window.</p>
<div id="controls">
 <div><label for="var">variable</label><select id="var"></select></div>
 <div><label for="place">zone / jurisdiction</label><select id="place"></select></div>
 <div><label>arms</label><span id="arms"></span></div>
 <div><label for="window">window</label><select id="window"></select></div>
</div>
<div id="levels" class="plot"></div>
<div id="diff" class="plot"></div>
<div id="table"></div>
<div id="status" data-ready="0" data-draws="0">loading…</div>
<script id="data" type="application/json">@DATA@</script>
<script>@SCRIPT@</script>
</body></html>
"""

_SCRIPT = r"""
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf"];
const $ = (id) => document.getElementById(id);
let draws = 0;
document.querySelectorAll(".lvl").forEach(e => e.textContent = Math.round(D.level * 100) + " %");

function option(sel, value, label) {
  const o = document.createElement("option"); o.value = value; o.textContent = label;
  sel.appendChild(o);
}
function params() {
  const out = {};
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const [k, v] = part.split("=");
    out[decodeURIComponent(k)] = decodeURIComponent(v || "");
  }
  return out;
}
function fillPlaces() {
  const v = D.variables.find(x => x.name === $("var").value);
  const keep = $("place").value;
  $("place").innerHTML = "";
  for (const p of v.places) option($("place"), p.id, p.label);
  if (v.places.some(p => p.id === keep)) $("place").value = keep;
}
function chosenArms() {
  return [...document.querySelectorAll("#arms input")].filter(i => i.checked).map(i => i.value);
}
function rgba(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${a})`;
}
function band(x, lo, hi, color, name) {
  return [{x: x, y: hi, mode: "lines", line: {width: 0}, hoverinfo: "skip", showlegend: false,
           legendgroup: name},
          {x: x, y: lo, mode: "lines", line: {width: 0}, fill: "tonexty",
           fillcolor: rgba(color, 0.2), hoverinfo: "skip", showlegend: false,
           legendgroup: name}];
}
function fmt(x) {
  if (x === null || x === undefined) return "";
  const a = Math.abs(x);
  return a !== 0 && (a < 0.001 || a >= 1e6) ? x.toExponential(3) : x.toPrecision(4);
}
function draw() {
  const name = $("var").value, place = $("place").value, win = $("window").value;
  const s = D.series[name + "|" + place];
  const arms = chosenArms();
  const x = D.times;
  const lev = [], dif = [];
  D.arms.forEach((arm, i) => {
    if (!arms.includes(arm) || !s.levels[arm]) return;
    const c = COLORS[i % COLORS.length], L = s.levels[arm];
    if (L.n > 1) lev.push(...band(x, L.lo, L.hi, c, arm));
    lev.push({x: x, y: L.mean, mode: "lines", name: arm, line: {color: c, width: 2},
              legendgroup: arm});
    const P = s.diff[arm];
    if (!P) return;
    dif.push(...band(x, P.lo, P.hi, c, arm));
    dif.push({x: x, y: P.mean, mode: "lines", name: arm + " − " + P.baseline_arm,
              line: {color: c, width: 2}, legendgroup: arm});
  });
  const w = s.windows[win] || {};
  const first = Object.values(w).find(r => r && r.months) || w;
  const shapes = [];
  if (first && first.months) {
    const [a, b] = first.months.split("..");
    shapes.push({type: "rect", xref: "x", yref: "paper", x0: a + "-01", x1: b + "-28", y0: 0,
                 y1: 1, fillcolor: "rgba(120,120,120,0.12)", line: {width: 0}});
  }
  const dshapes = shapes.slice();
  D.arms.forEach((arm, i) => {
    const P = s.diff[arm];
    if (P && arms.includes(arm) && P.start !== null)
      dshapes.push({type: "line", xref: "x", yref: "paper", x0: x[P.start], x1: x[P.start],
                    y0: 0, y1: 1, line: {color: COLORS[i % COLORS.length], dash: "dash",
                    width: 1}});
  });
  const v = D.variables.find(q => q.name === name);
  const pl = v.places.find(p => p.id === place);
  const title = `${name} — ${pl.label}` + (v.long_name ? ` (${v.long_name})` : "");
  const base = {margin: {l: 70, r: 20, t: 40, b: 40}, hovermode: "x unified",
                legend: {orientation: "h", y: -0.15}};
  const p1 = Plotly.react("levels", lev, {...base, title: {text: title, font: {size: 14}},
                          yaxis: {title: {text: s.units}}, shapes: shapes});
  const p2 = Plotly.react("diff", dif, {...base,
                          title: {text: "arm − baseline, paired by replicate", font: {size: 14}},
                          yaxis: {title: {text: "Δ " + s.units}, zeroline: true,
                                  zerolinecolor: "#444"}, shapes: dshapes});
  table(s, win, arms);
  return Promise.all([p1, p2]).then(() => {
    draws += 1;
    const st = $("status");
    st.dataset.history = (st.dataset.history ? st.dataset.history + ";" : "") + name + ":" +
      place + ":" + win;
    st.dataset.ready = "1"; st.dataset.draws = String(draws); st.dataset.var = name;
    st.dataset.place = place; st.dataset.window = win; st.dataset.arms = arms.join(",");
    st.dataset.traces = String($("levels").data.length + $("diff").data.length);
    st.textContent = `ready: ${name} | ${place} | ${win} | ${arms.join(", ")} (draw ${draws})`;
    location.replace("#" + ["var=" + name, "place=" + place, "window=" + win,
                            "arms=" + arms.join(",")].map(encodeURI).join("&"));
  });
}
function table(s, win, arms) {
  const rows = s.windows[win] || {};
  const body = Object.entries(rows).filter(([arm, r]) => arms.includes(arm) && r.verdict);
  if (!body.length) {
    $("table").innerHTML = "<p>No paired differences for this selection (no baseline arm, " +
      "or no other arm selected).</p>";
    return;
  }
  let h = `<table id="window-table"><tr><th>arm</th><th>months</th><th>pairs</th>` +
    `<th>baseline [${s.units}]</th><th>arm</th><th>difference [${Math.round(D.level * 100)} % CI]` +
    `</th><th>relative</th><th>p</th><th>p (Holm)</th><th>verdict</th></tr>`;
  for (const [arm, r] of body)
    h += `<tr><td>${arm}</td><td>${r.months}</td><td>${r.n}</td><td>${fmt(r.base)}</td>` +
      `<td>${fmt(r.arm)}</td><td>${fmt(r.diff)} [${fmt(r.lo)}, ${fmt(r.hi)}]</td>` +
      `<td>${r.rel === null ? "" : (r.rel >= 0 ? "+" : "") + r.rel.toFixed(1) + " %"}</td>` +
      `<td>${r.p}</td><td>${r.p_adj}</td><td>${r.verdict}</td></tr>`;
  $("table").innerHTML = h + "</table>";
}
function init() {
  for (const v of D.variables) option($("var"), v.name, v.name);
  for (const w of D.windows) option($("window"), w.id, w.label);
  D.arms.forEach((arm, i) => {
    const l = document.createElement("label"), c = document.createElement("input");
    c.type = "checkbox"; c.value = arm; c.checked = true; c.addEventListener("change", draw);
    l.appendChild(c); l.appendChild(document.createTextNode(" " + arm));
    l.style.color = COLORS[i % COLORS.length];
    $("arms").appendChild(l);
  });
  const q = params();
  if (q.var && D.variables.some(v => v.name === q.var)) $("var").value = q.var;
  fillPlaces();
  if (q.place) $("place").value = q.place;
  $("window").value = q.window && D.windows.some(w => w.id === q.window) ? q.window :
    (D.baseline !== null ? "post-reform" : "whole");
  if (q.arms) document.querySelectorAll("#arms input").forEach(
    i => i.checked = q.arms.split(",").includes(i.value));
  $("var").addEventListener("change", () => { fillPlaces(); draw(); });
  $("place").addEventListener("change", draw);
  $("window").addEventListener("change", draw);
  draw().then(() => {
    if (!q.then) return;
    const [what, value] = q.then.split(":");
    const sel = $(what === "var" ? "var" : what);
    if (!sel) return;
    sel.value = value;
    sel.dispatchEvent(new Event("change"));
  });
}
init();
"""
