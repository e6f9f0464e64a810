"""Global sensitivity of model outputs and policy effects: Morris elementary effects and Sobol
indices, with bootstrap intervals, and the experiment files that run their designs.

A **design** is a list of parameter points (scenario keys and values). Run every point with the
engine, reduce each run to one number ``y`` (a level, or a *paired policy effect*: the arm's value
minus the baseline's at the same design point and replicate, so common random numbers cancel the
noise), then:

    space = Space([Parameter("talent.beta_wage", 2, 6), Parameter("firms.reloc_move_cost", 1, 4)])
    d = morris_design(space, trajectories=10, seed=1)          # (k + 1) x 10 points
    write_experiment(d, "out/morris.toml", {"baseline": "scenarios/baseline.toml",
                                            "separation": "scenarios/separation.toml"})
    # regionsim run --experiment out/morris.toml -o out/morris.h5
    ds = regionsim.open("out/morris.h5")
    y = design_responses(ds, d, my_statistic, arm="separation", baseline="baseline")
    morris_indices(d, y)                                       # mu, mu*, sigma with intervals

``saltelli_design`` / ``sobol_indices`` do the same for first-order and total Sobol indices
(``n`` x (k + 2) points). Elementary effects are measured in the unit cube (a parameter's whole
range is 1), so mu* ranks parameters by the effect of moving each over its range. Bootstrap
intervals resample trajectories (Morris) or base rows (Sobol) with replacement, percentile
method, ``level`` = 0.9 by default. docs/calibration.md walks through a whole analysis.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from .dataset import with_design

__all__ = ["Parameter", "Space", "Design", "morris_design", "morris_indices", "saltelli_design",
           "sobol_indices", "paired_effect", "judgement_parameters", "write_experiment",
           "design_responses", "point_name"]


# --- parameters and designs ----------------------------------------------------------------------

@dataclass(frozen=True)
class Parameter:
    """A scenario key varied over [low, high]; ``log`` samples uniformly in log space,
    ``integer`` rounds values (for integer keys such as ``government.decision_period``)."""

    key: str
    low: float
    high: float
    integer: bool = False
    log: bool = False

    def __post_init__(self):
        if not self.low < self.high:
            raise ValueError(f"{self.key}: expected low < high, got [{self.low}, {self.high}]")
        if self.log and self.low <= 0:
            raise ValueError(f"{self.key}: a log-scaled range must be positive")

    def to_value(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        if self.log:
            x = np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        else:
            x = self.low + u * (self.high - self.low)
        return np.round(x) if self.integer else x

    def to_unit(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self.log:
            return (np.log(x) - np.log(self.low)) / (np.log(self.high) - np.log(self.low))
        return (x - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class Space:
    """The parameters of a design, in order."""

    parameters: tuple[Parameter, ...]

    def __init__(self, parameters: Sequence[Parameter]):
        params = tuple(parameters)
        if not params:
            raise ValueError("a parameter space needs at least one parameter")
        keys = [p.key for p in params]
        if len(set(keys)) != len(keys):
            raise ValueError(f"parameter keys repeat: {keys}")
        object.__setattr__(self, "parameters", params)

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.parameters]

    def __len__(self) -> int:
        return len(self.parameters)

    def to_values(self, unit: np.ndarray) -> np.ndarray:
        unit = np.atleast_2d(unit)
        return np.column_stack([p.to_value(unit[:, i]) for i, p in enumerate(self.parameters)])

    def to_unit(self, values: np.ndarray) -> np.ndarray:
        values = np.atleast_2d(values)
        return np.column_stack([p.to_unit(values[:, i]) for i, p in enumerate(self.parameters)])


@dataclass
class Design:
    """Design points: ``values`` (N x k, parameter units) and ``unit`` (the same in [0, 1]).

    ``method`` is "morris" or "sobol". Morris: ``groups[i]`` is the trajectory of point i and
    ``changed[i]`` the index of the parameter changed from point i - 1 (-1 at a trajectory's
    start). Sobol: the points are A (n rows), B (n rows), then AB_1 ... AB_k (n rows each, A with
    column i taken from B)."""

    method: str
    space: Space
    unit: np.ndarray
    values: np.ndarray
    groups: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    changed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    info: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.values)

    def frame(self) -> pd.DataFrame:
        """The points as a table, one column per key, indexed by point."""
        return pd.DataFrame(self.values, columns=self.space.keys).rename_axis("point")

    def save(self, path) -> Path:
        """Writes the design as JSON (read back with :meth:`Design.load`)."""
        path = Path(path)
        data = {"method": self.method, "info": self.info,
                "parameters": [vars(p) for p in self.space.parameters],
                "unit": self.unit.tolist(), "values": self.values.tolist(),
                "groups": self.groups.tolist(), "changed": self.changed.tolist()}
        path.write_text(json.dumps(data, indent=1))
        return path

    @staticmethod
    def load(path) -> "Design":
        data = json.loads(Path(path).read_text())
        space = Space([Parameter(**p) for p in data["parameters"]])
        return Design(data["method"], space, np.array(data["unit"], dtype=float),
                      np.array(data["values"], dtype=float), np.array(data["groups"], dtype=int),
                      np.array(data["changed"], dtype=int), data["info"])


# --- Morris elementary effects ---------------------------------------------------------------

def morris_design(space: Space, trajectories: int = 10, levels: int = 4,
                  seed: int | None = 0) -> Design:
    """Morris (1991) trajectories on a ``levels``-level grid: each starts at a random grid point
    and moves one parameter at a time by Δ = levels / (2 (levels - 1)), in random order and
    direction, so each trajectory gives one elementary effect per parameter. Returns
    trajectories x (k + 1) points."""
    if levels < 2 or levels % 2:
        raise ValueError("levels must be even and at least 2 (the usual choice is 4)")
    if trajectories < 2:
        raise ValueError("at least 2 trajectories are needed for sigma and intervals")
    rng = np.random.default_rng(seed)
    k = len(space)
    delta = levels / (2.0 * (levels - 1))
    starts = np.arange(levels // 2) / (levels - 1)  # grid levels with room for +delta
    unit, groups, changed = [], [], []
    for t in range(trajectories):
        base = rng.choice(starts, size=k)
        up = rng.random(k) < 0.5
        point = np.where(up, base, base + delta)
        unit.append(point.copy())
        groups.append(t)
        changed.append(-1)
        for i in rng.permutation(k):
            point[i] = base[i] + delta if up[i] else base[i]
            unit.append(point.copy())
            groups.append(t)
            changed.append(int(i))
    unit = np.array(unit)
    return Design("morris", space, unit, space.to_values(unit), np.array(groups),
                  np.array(changed), {"trajectories": trajectories, "levels": levels,
                                      "delta": delta, "seed": seed})


def _elementary_effects(design: Design, y: np.ndarray) -> np.ndarray:
    """trajectories x k elementary effects in unit-cube units (NaN where rounding of an integer
    parameter left the step empty)."""
    r, k = design.info["trajectories"], len(design.space)
    # The realised step in the unit cube: integer rounding can shorten it.
    realised = design.space.to_unit(design.values)
    ee = np.full((r, k), np.nan)
    for i in np.nonzero(design.changed >= 0)[0]:
        j = design.changed[i]
        step = realised[i, j] - realised[i - 1, j]
        if step != 0:
            ee[design.groups[i], j] = (y[i] - y[i - 1]) / step
    return ee


def _interval(samples: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = (1.0 - level) / 2.0
    return (np.nanquantile(samples, alpha, axis=0), np.nanquantile(samples, 1.0 - alpha, axis=0))


def _check_responses(design: Design, y) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    if y.shape != (len(design),):
        raise ValueError(f"expected one response per design point, shape ({len(design)},), "
                         f"got {y.shape}")
    if not np.all(np.isfinite(y)):
        bad = np.nonzero(~np.isfinite(y))[0][:5].tolist()
        raise ValueError(f"responses must be finite; not at points {bad}...")
    return y


def morris_indices(design: Design, y, bootstrap: int = 1000, level: float = 0.9,
                   seed: int | None = 0) -> pd.DataFrame:
    """mu (mean elementary effect), mu_star (mean absolute effect: the importance ranking) and
    sigma (their standard deviation: interactions or non-linearity) per parameter, with
    bootstrap ``level`` intervals over trajectories; sorted by mu_star, largest first."""
    if design.method != "morris":
        raise ValueError(f"a {design.method} design has no elementary effects")
    ee = _elementary_effects(design, _check_responses(design, y))
    rng = np.random.default_rng(seed)

    def stats(e):
        with np.errstate(invalid="ignore"):
            return (np.nanmean(e, axis=-2), np.nanmean(np.abs(e), axis=-2),
                    np.nanstd(e, axis=-2, ddof=1))

    mu, mu_star, sigma = stats(ee)
    picks = rng.integers(0, len(ee), size=(bootstrap, len(ee)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        boot = stats(ee[picks])
    out = pd.DataFrame({"mu": mu, "mu_star": mu_star, "sigma": sigma}, index=design.space.keys)
    for name, samples in zip(("mu", "mu_star", "sigma"), boot):
        out[f"{name}_low"], out[f"{name}_high"] = _interval(samples, level)
    out["effects"] = np.sum(np.isfinite(ee), axis=0)
    out.index.name = "parameter"
    return out.sort_values("mu_star", ascending=False)


# --- Sobol indices from Saltelli samples -------------------------------------------------------

def saltelli_design(space: Space, n: int = 1024, seed: int | None = 0,
                    scramble: bool = True) -> Design:
    """Saltelli (2010) sampling from a scrambled Sobol' sequence in 2k dimensions
    (``scipy.stats.qmc.Sobol``): A and B are its two halves, AB_i is A with column i from B.
    ``n`` (a power of 2 keeps the sequence balanced) base rows give n (k + 2) points."""
    from scipy.stats import qmc

    if n < 2 or n & (n - 1):
        raise ValueError(f"n must be a power of 2, got {n}")
    k = len(space)
    base = qmc.Sobol(d=2 * k, scramble=scramble, seed=seed).random_base2(int(np.log2(n)))
    a, b = base[:, :k], base[:, k:]
    blocks = [a, b]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    unit = np.vstack(blocks)
    return Design("sobol", space, unit, space.to_values(unit),
                  info={"n": n, "seed": seed, "scramble": scramble})


def sobol_indices(design: Design, y, bootstrap: int = 1000, level: float = 0.9,
                  seed: int | None = 0) -> pd.DataFrame:
    """First-order S1 (Saltelli 2010: mean(f_B (f_AB_i - f_A)) / V) and total ST (Jansen 1999:
    mean((f_A - f_AB_i)^2) / 2V) indices per parameter, V the variance of f over A and B, with
    bootstrap ``level`` intervals over base rows; sorted by ST, largest first."""
    if design.method != "sobol":
        raise ValueError(f"a {design.method} design has no Saltelli blocks")
    y = _check_responses(design, y)
    n, k = design.info["n"], len(design.space)
    f_a, f_b = y[:n], y[n:2 * n]
    f_ab = y[2 * n:].reshape(k, n).T  # n x k

    def indices(rows):  # rows: (..., n) -> S1, ST of shape (..., k)
        fa, fb, fab = f_a[rows], f_b[rows], f_ab[rows]
        var = np.var(np.concatenate([fa, fb], axis=-1), axis=-1, ddof=1)[..., None]
        with np.errstate(invalid="ignore", divide="ignore"):
            s1 = np.mean(fb[..., None] * (fab - fa[..., None]), axis=-2) / var
            st = 0.5 * np.mean((fa[..., None] - fab) ** 2, axis=-2) / var
        return s1, st

    s1, st = indices(np.arange(n))
    rng = np.random.default_rng(seed)
    chunks = [indices(rng.integers(0, n, size=(min(64, bootstrap - start), n)))
              for start in range(0, bootstrap, 64)]  # bounded memory for large n
    s1_boot = np.concatenate([c[0] for c in chunks])
    st_boot = np.concatenate([c[1] for c in chunks])
    out = pd.DataFrame({"S1": s1, "ST": st}, index=design.space.keys)
    out["S1_low"], out["S1_high"] = _interval(s1_boot, level)
    out["ST_low"], out["ST_high"] = _interval(st_boot, level)
    out.index.name = "parameter"
    return out.sort_values("ST", ascending=False)


def paired_effect(arm, baseline) -> np.ndarray:
    """The policy effect per design point: arm minus baseline, run for run at the same point and
    replicate (common random numbers), averaged over replicates when given as (points,
    replicates)."""
    arm, baseline = np.asarray(arm, dtype=float), np.asarray(baseline, dtype=float)
    if arm.shape != baseline.shape:
        raise ValueError(f"arm and baseline differ in shape: {arm.shape} vs {baseline.shape}")
    diff = arm - baseline
    return diff.mean(axis=1) if diff.ndim == 2 else diff


# --- the parameters the registry marks as judgement ---------------------------------------------

_ROW = re.compile(r"^\| `([a-z0-9_.]+)` \| ([^|]*) \| ([^|]*) \| ([^|]*) \| [^|]* \| ([^|]*) \|$")
_RANGE = re.compile(r"^(integer in )?\[([-0-9.e+]+), ([-0-9.e+]+)\]$")


def judgement_parameters(path=None, spread: float = 0.5,
                         keys: Sequence[str] | None = None) -> Space:
    """Scalar scenario keys whose basis docs/parameters.md (generated from the registry) gives as
    "judgement", each over default x (1 -/+ spread) clipped to its valid range; integers round.
    ``keys`` picks some of them (in that order). Entity fields (``zone.<name>.x``) and tables are
    left out: give them as Parameters with the entity named."""
    if path is None:
        path = Path(__file__).resolve().parents[2] / "docs" / "parameters.md"
    found = {}
    for line in Path(path).read_text().splitlines():
        m = _ROW.match(line.strip())
        if not m or not m.group(5).strip().startswith("judgement"):
            continue
        key, default, rng = m.group(1), m.group(3).strip(), _RANGE.match(m.group(4).strip())
        try:
            value = float(default)
        except ValueError:
            continue
        if rng is None or value == 0:
            continue
        lo, hi = float(rng.group(2)), float(rng.group(3))
        low, high = sorted((value * (1 - spread), value * (1 + spread)))
        low, high = max(low, lo), min(high, hi)
        integer = rng.group(1) is not None
        if integer:
            low, high = np.floor(low), np.ceil(high)
        low, high = float(f"{low:.12g}"), float(f"{high:.12g}")  # 0.075, not 0.07500000000000001
        if low < high:
            found[key] = Parameter(key, low, high, integer=integer)
    if keys is not None:
        missing = [k for k in keys if k not in found]
        if missing:
            raise KeyError(f"not scalar judgement keys with a non-zero default: {missing}")
        return Space([found[k] for k in keys])
    return Space(list(found.values()))


# --- experiment files ----------------------------------------------------------------------------

def point_name(arm: str, point: int) -> str:
    """The scenario name of an arm at a design point (the ``scenario`` coordinate of its runs)."""
    return f"{arm}@p{point:04d}"


_POINT = re.compile(r"^(.*)@p(\d{4,})$")


def _toml_value(value: float, integer: bool) -> str:
    if integer:
        return str(int(round(value)))
    text = repr(float(value))
    return text if any(c in text for c in ".en") else text + ".0"


def write_experiment(design: Design, path, arms: Mapping[str, os.PathLike | str],
                     replicates: int = 1, seed: int | None = None, steps: int | None = None,
                     overrides: Sequence[str] = (), name: str | None = None) -> Path:
    """Writes ``path`` (an experiment file) running every arm at every design point.

    The experiment format has no list of explicit points (its sweeps are crossed), so each
    (arm, point) becomes a scenario file in ``<path stem>-points/``: it ``extends`` the arm's
    scenario, sets the point's keys and is named :func:`point_name` (``"separation@p0007"``).
    Replicate k of every file uses the same seed, so arm minus baseline at a point is a paired
    difference. The design is saved beside it as ``<path stem>-design.json``. Keys must be scalar
    settings (a weights-table entry such as ``zone.lsiz.ownership.cdht`` would replace the table).
    """
    path = Path(path)
    points_dir = path.parent / f"{path.stem}-points"
    points_dir.mkdir(parents=True, exist_ok=True)
    params = design.space.parameters
    files = []
    for arm, scenario in arms.items():
        if "@" in arm:
            raise ValueError(f"arm name {arm!r} must not contain '@'")
        scenario = Path(scenario).resolve()
        if not scenario.is_file():
            raise FileNotFoundError(f"arm {arm!r}: no scenario file {scenario}")
        # Relative when the two share more than the root, so a repository can move.
        shared = os.path.commonpath([scenario, points_dir.resolve()])
        target = scenario if shared == os.path.sep else Path(
            os.path.relpath(scenario, points_dir.resolve()))
        for i, row in enumerate(design.values):
            lines = [f"# {design.method} design point {i} of {len(design)}: {arm} with the keys "
                     "below (written by regionsim.sensitivity.write_experiment)",
                     f"extends = {json.dumps(target.as_posix())}",
                     f"name = {json.dumps(point_name(arm, i))}"]
            lines += [f"{p.key} = {_toml_value(v, p.integer)}" for p, v in zip(params, row)]
            file = points_dir / f"{arm}-p{i:04d}.toml"
            file.write_text("\n".join(lines) + "\n")
            files.append(os.path.relpath(file, path.parent))
    description = f"{design.method} sensitivity design, arms {', '.join(arms)}"
    head = [f"# {design.method} design: {len(design)} points x {len(arms)} arms x {replicates} "
            f"replicates over {', '.join(design.space.keys)}",
            f"name = {json.dumps(name or path.stem)}",
            f"description = {json.dumps(description)}",
            "scenarios = [" + ",\n             ".join(json.dumps(Path(f).as_posix())
                                                     for f in files) + "]",
            f"replicates = {int(replicates)}"]
    if seed is not None:
        head.append(f"seed = {int(seed)}")
    if steps is not None:
        head.append(f"steps = {int(steps)}")
    if overrides:
        head.append("set = [" + ", ".join(json.dumps(o) for o in overrides) + "]")
    path.write_text("\n".join(head) + "\n")
    design.save(path.parent / f"{path.stem}-design.json")
    return path


def design_responses(ds, design: Design, statistic: Callable | str, arm: str,
                     baseline: str | None = None) -> np.ndarray:
    """One response per design point from an experiment file written by :func:`write_experiment`.

    ``statistic(ds)`` returns one value per run (a DataArray along ``run``), or is a variable
    name, summed over everything but ``run``. With ``baseline`` the response is the paired effect
    (arm minus baseline, replicate by replicate, averaged over replicates); without, the arm's
    level averaged over replicates."""
    ds = with_design(ds)
    if isinstance(statistic, str):
        da = ds[statistic]
        values = da.sum([d for d in da.dims if d != "run"])
    else:
        values = statistic(ds)
    values = np.asarray(values, dtype=float)
    scenarios = [s.decode() if isinstance(s, bytes) else str(s) for s in ds["scenario"].values]
    replicates = np.asarray(ds["replicate"].values, dtype=int)
    if values.shape != (len(scenarios),):
        raise ValueError(f"statistic must give one value per run ({len(scenarios)}), "
                         f"got shape {values.shape}")
    table = {}
    for value, scenario, rep in zip(values, scenarios, replicates):
        m = _POINT.match(scenario)
        if m:
            table[(m.group(1), int(m.group(2)), int(rep))] = value
    reps = sorted({int(r) for r in replicates})

    def grid(which):
        try:
            return np.array([[table[(which, i, r)] for r in reps] for i in range(len(design))])
        except KeyError as missing:
            raise KeyError(f"no run of {point_name(missing.args[0][0], missing.args[0][1])} "
                           f"replicate {missing.args[0][2]} in the file") from None

    level = grid(arm)
    return paired_effect(level, grid(baseline)) if baseline else level.mean(axis=1)
