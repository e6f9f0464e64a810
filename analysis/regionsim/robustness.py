"""How robust is a policy conclusion: the paired effect of each arm on each headline response
over a Morris design of the judgement parameters, with the parameters it depends on.

A conclusion is "arm X changes response R by about E". Over the design every judgement parameter
moves across its range (default -/+ 50 %); at each point the effect is the paired difference arm
minus baseline (same replicate, common random numbers), averaged over replicates. The summary of
one conclusion is

- its mean effect over the design points and the range [min, max] of the point effects;
- the share of points at which the effect has the sign of the mean (1.0: the sign does not depend
  on any judgement within the ranges explored);
- the parameters ranked by Morris mu* (the mean absolute change of the effect when a parameter
  moves over its whole range), with bootstrap intervals over trajectories.

``robustness(ds, design, arms)`` computes it from an experiment written by
:func:`regionsim.sensitivity.write_experiment`; ``save``/``load`` keep it as JSON for the report
(``python3 -m regionsim report FILE --robustness ROBUSTNESS.json``), ``markdown`` prints it.
``scripts/headline_sensitivity.sh`` makes one for the three headline levers.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from . import sensitivity as sa

# Month of the reforms in the shipped scenarios (2023-01): the window of the "post-reform"
# responses starts here.
REFORM_MONTH = 24


@dataclass(frozen=True)
class Response:
    name: str    # as printed
    unit: str
    per_run: Callable  # ds -> one value per run (a DataArray along run)


def _per_year(ds, var, start):
    window = ds[var].isel(time=slice(start, None))
    months = window.sizes["time"]
    return window.sum([d for d in window.dims if d != "run"]) * (12.0 / max(months, 1))


def headline_responses(start: int = REFORM_MONTH) -> list[Response]:
    """The two responses the headline conclusions are about: subsidies paid to firms moving
    within the region, and output, both a year over the post-reform months."""
    return [
        Response("subsidies within the region", "mCNY a year",
                 lambda ds: _per_year(ds, "promotion_spending_within", start)),
        Response("output", "mCNY a year", lambda ds: _per_year(ds, "output", start)),
    ]


def robustness(ds, design: sa.Design, arms: Sequence[str], baseline: str = "baseline",
               responses: Sequence[Response] | None = None, top: int = 4,
               level: float = 0.9, seed: int = 0) -> dict:
    """One row per arm x response: mean effect, range over points, share of points with the
    sign of the mean, and the ``top`` parameters by mu* (see the module docstring)."""
    responses = headline_responses() if responses is None else responses
    rows = []
    for arm in arms:
        for r in responses:
            effect = sa.design_responses(ds, design, r.per_run, arm=arm, baseline=baseline)
            mean = float(np.mean(effect))
            sign = np.sign(mean)
            same = float(np.mean(np.sign(effect) == sign)) if sign != 0 else 0.0
            opposite = float(np.mean(np.sign(effect) == -sign)) if sign != 0 else 0.0
            idx = sa.morris_indices(design, effect, level=level, seed=seed)
            params = [{"key": key, "mu": float(row.mu), "mu_star": float(row.mu_star),
                       "mu_star_low": float(row.mu_star_low),
                       "mu_star_high": float(row.mu_star_high), "sigma": float(row.sigma)}
                      for key, row in idx.head(top).iterrows()]
            rows.append({"arm": arm, "response": r.name, "unit": r.unit, "mean": mean,
                         "low": float(np.min(effect)), "high": float(np.max(effect)),
                         "same_sign_share": same, "opposite_sign_share": opposite,
                         "points": int(len(effect)),
                         "parameters": params})
    return {"method": "morris", "level": level, "baseline": baseline,
            "parameters": [{"key": p.key, "low": p.low, "high": p.high}
                           for p in design.space.parameters],
            "rows": rows}


def verdict(row: Mapping) -> str:
    """One sentence: whether the sign of the conclusion holds, and what its size depends on."""
    points = row["points"]
    same = round(row["same_sign_share"] * points)
    flips = round(row["opposite_sign_share"] * points)
    names = [p["key"] for p in row["parameters"][:2]]
    if row["mean"] == 0:
        return "no effect on average over the design."
    direction = "raises" if row["mean"] > 0 else "lowers"
    if flips == 0:
        head = f"{direction} it at {same} of the {points} design points"
        head += "" if same == points else f" and leaves it unchanged at {points - same}"
        head += ", never the other way"
    else:
        head = (f"{direction} it on average, but the sign flips at {flips} of {points} points: "
                f"the direction itself depends on the judgements")
    return f"{head}; its size depends most on {' and '.join(f'`{n}`' for n in names)}."


def markdown(result: Mapping) -> str:
    pct = f"{result['level']:.0%}"
    lines = [f"| arm | response | mean effect [range over points] | same sign / opposite | "
             f"parameters by mu* ({pct} interval) |", "|---|---|---|---|---|"]
    for row in result["rows"]:
        params = ", ".join(f"`{p['key']}` {p['mu_star']:.3g} [{p['mu_star_low']:.3g}, "
                           f"{p['mu_star_high']:.3g}]" for p in row["parameters"])
        lines.append(f"| {row['arm']} | {row['response']}, {row['unit']} | {row['mean']:+.4g} "
                     f"[{row['low']:+.4g}, {row['high']:+.4g}] | "
                     f"{row['same_sign_share']:.0%} / {row['opposite_sign_share']:.0%} of "
                     f"{row['points']} | {params} |")
    return "\n".join(lines) + "\n"


def to_html(result: Mapping) -> str:
    """The report's section "How robust is this conclusion"."""
    ranges = ", ".join(f"<code>{html.escape(p['key'])}</code> [{p['low']:g}, {p['high']:g}]"
                       for p in result["parameters"])
    out = ["<h2>How robust is this conclusion</h2>",
           "<p>Each conclusion re-measured over a Morris design of the judgement parameters "
           f"({ranges}): at every point the paired effect of the arm against "
           f"<b>{html.escape(result['baseline'])}</b>, averaged over replicates. Whether the "
           "sign of the mean holds at every point, and if not at how many it flips. "
           "<i>mu*</i>: how much the effect changes, on average, when that parameter moves "
           "over its whole range (the larger, the more the conclusion depends on it).</p><ul>"]
    for row in result["rows"]:
        out.append(f"<li><b>{html.escape(row['arm'])}</b> on {html.escape(row['response'])} "
                   f"({html.escape(row['unit'])}): mean {row['mean']:+.4g} "
                   f"[{row['low']:+.4g}, {row['high']:+.4g}] — "
                   f"{html.escape(verdict(row)).replace('`', '')}</li>")
    out.append("</ul>")
    return "".join(out)


def save(result: Mapping, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(result, indent=1) + "\n")
    partial.replace(path)
    return path


def load(path) -> dict:
    try:
        result = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"{path}: not a robustness file ({err})") from None
    if not isinstance(result, dict) or result.get("method") != "morris" or "rows" not in result:
        raise ValueError(f"{path}: not a robustness file (expected the JSON written by "
                         "regionsim.robustness.save)")
    return result
