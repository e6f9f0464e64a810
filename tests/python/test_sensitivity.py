"""Morris elementary effects and Sobol indices against functions whose answers are known, and the
experiment files that run a design (checked with the engine when it is built).

Analytic references: the Ishigami function (a = 7, b = 0.1) has V1 = (1 + b pi^4 / 5)^2 / 2,
V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225, V3 = V12 = V23 = V123 = 0 (Sobol' & Levitan 1999); a linear
model of independent uniform inputs has S1_i = ST_i = c_i^2 w_i^2 / sum_j c_j^2 w_j^2 and
elementary effects c_i w_i exactly (w_i the width of input i's range).
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("scipy")
tomllib = pytest.importorskip("tomllib")  # Python 3.11, as Debian's

from regionsim import sensitivity as sa  # noqa: E402


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    v1 = 0.5 * (1 + b * math.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = 8 * b ** 2 * math.pi ** 8 / 225
    v = v1 + v2 + v13
    return {"x1": (v1 / v, (v1 + v13) / v), "x2": (v2 / v, v2 / v), "x3": (0.0, v13 / v)}


PI_SPACE = sa.Space([sa.Parameter(f"x{i}", -math.pi, math.pi) for i in (1, 2, 3)])


def test_ishigami_reference_values():
    # The published values, as a check on the formulas above.
    ref = ishigami_indices()
    assert ref["x1"][0] == pytest.approx(0.3139, abs=1e-4)
    assert ref["x2"][0] == pytest.approx(0.4424, abs=1e-4)
    assert ref["x1"][1] == pytest.approx(0.5576, abs=1e-4)
    assert ref["x3"][1] == pytest.approx(0.2437, abs=1e-4)


def test_sobol_indices_of_ishigami():
    design = sa.saltelli_design(PI_SPACE, n=2 ** 13, seed=3)
    assert design.values.shape == (2 ** 13 * 5, 3)
    out = sa.sobol_indices(design, ishigami(design.values), bootstrap=300, level=0.99, seed=1)
    for key, (s1, st) in ishigami_indices().items():
        assert out.loc[key, "S1"] == pytest.approx(s1, abs=0.03), key
        assert out.loc[key, "ST"] == pytest.approx(st, abs=0.03), key
        assert out.loc[key, "S1_low"] <= s1 <= out.loc[key, "S1_high"], key
        assert out.loc[key, "ST_low"] <= st <= out.loc[key, "ST_high"], key
    assert list(out.index) == ["x1", "x2", "x3"]  # sorted by total index


def test_sobol_indices_of_a_linear_model():
    params = [sa.Parameter("a", 0, 1), sa.Parameter("b", -2, 2), sa.Parameter("c", 10, 11),
              sa.Parameter("d", 0, 3)]
    coef = np.array([3.0, 1.0, -2.0, 0.0])
    design = sa.saltelli_design(sa.Space(params), n=2 ** 12, seed=5)
    out = sa.sobol_indices(design, design.values @ coef, bootstrap=200)
    widths = np.array([p.high - p.low for p in params])
    v = coef ** 2 * widths ** 2 / 12
    for p, share in zip(params, v / v.sum()):
        assert out.loc[p.key, "S1"] == pytest.approx(share, abs=0.02)
        assert out.loc[p.key, "ST"] == pytest.approx(share, abs=0.02)
    assert out.loc["d", "ST"] == 0.0  # an input without effect changes nothing at all


def test_morris_trajectories_move_one_parameter_at_a_time():
    design = sa.morris_design(PI_SPACE, trajectories=6, levels=4, seed=2)
    delta = design.info["delta"]
    assert delta == pytest.approx(2 / 3)
    assert design.unit.shape == (6 * 4, 3)
    assert np.all((design.unit >= 0) & (design.unit <= 1))
    grid = design.unit * 3
    assert np.allclose(grid, np.round(grid))  # on the 4-level grid
    for t in range(6):
        rows = np.nonzero(design.groups == t)[0]
        assert design.changed[rows[0]] == -1
        assert sorted(design.changed[rows[1:]]) == [0, 1, 2]  # each parameter once
        steps = np.diff(design.unit[rows], axis=0)
        assert np.all(np.count_nonzero(steps, axis=1) == 1)
        assert np.allclose(np.abs(steps.sum(axis=1)), delta)


def test_morris_effects_of_a_linear_model_are_exact():
    params = [sa.Parameter("a", 0, 1), sa.Parameter("b", -2, 2), sa.Parameter("c", 10, 11)]
    coef = np.array([3.0, 1.0, -2.0])
    design = sa.morris_design(sa.Space(params), trajectories=8, seed=4)
    out = sa.morris_indices(design, design.values @ coef, bootstrap=200)
    expected = {"a": 3.0, "b": 4.0, "c": -2.0}  # coefficient x range width
    for key, mu in expected.items():
        assert out.loc[key, "mu"] == pytest.approx(mu)
        assert out.loc[key, "mu_star"] == pytest.approx(abs(mu))
        assert out.loc[key, "sigma"] == pytest.approx(0, abs=1e-9)
        assert out.loc[key, "effects"] == 8
    assert list(out.index) == ["b", "a", "c"]


def g_function(u, a):
    return np.prod((np.abs(4 * u - 2) + a) / (1 + a), axis=1)


def test_morris_ranks_the_g_function_by_importance():
    # Sobol's g-function: input i matters less the larger a_i, so mu* must follow a's order.
    a = np.array([0.0, 1.0, 4.5, 9.0, 99.0])
    space = sa.Space([sa.Parameter(f"u{i}", 0, 1) for i in range(len(a))])
    design = sa.morris_design(space, trajectories=40, seed=7)
    out = sa.morris_indices(design, g_function(design.values, a), bootstrap=200)
    assert list(out.index) == [f"u{i}" for i in range(len(a))]
    # The most important input's interval lies above the least important's.
    assert out.loc["u0", "mu_star_low"] > out.loc["u4", "mu_star_high"]


def test_morris_integer_parameters_use_the_realised_step():
    space = sa.Space([sa.Parameter("n", 1, 4, integer=True), sa.Parameter("x", 0, 1)])
    design = sa.morris_design(space, trajectories=5, seed=1)
    assert np.all(design.values[:, 0] == np.round(design.values[:, 0]))
    out = sa.morris_indices(design, 2 * design.values[:, 0] + design.values[:, 1], bootstrap=50)
    assert out.loc["n", "mu"] == pytest.approx(6.0)  # 2 per unit x width 3
    assert out.loc["x", "mu"] == pytest.approx(1.0)


def test_paired_effect_isolates_what_the_policy_changes():
    # Levels depend on f (params p, q) plus noise shared by both arms at a design point (common
    # random numbers); the policy adds g, which depends on r only. The paired effect sees r.
    space = sa.Space([sa.Parameter(k, 0, 1) for k in ("p", "q", "r")])
    design = sa.morris_design(space, trajectories=10, seed=3)
    x = design.values
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 5, size=(len(x), 4))  # 4 replicates, shared by both arms
    base = (10 * x[:, 0] + 5 * x[:, 1] ** 2)[:, None] + noise
    arm = base + (0.5 * x[:, 2])[:, None]
    levels = sa.morris_indices(design, base.mean(axis=1), bootstrap=100)
    effect = sa.morris_indices(design, sa.paired_effect(arm, base), bootstrap=100)
    assert levels.index[0] == "p"
    assert effect.index[0] == "r"
    assert effect.loc["r", "mu"] == pytest.approx(0.5)
    assert effect.loc["p", "mu_star"] == pytest.approx(0, abs=1e-12)
    with pytest.raises(ValueError, match="differ in shape"):
        sa.paired_effect(arm, base[:, :2])


def test_bad_responses_are_refused():
    design = sa.morris_design(PI_SPACE, trajectories=3)
    with pytest.raises(ValueError, match="one response per design point"):
        sa.morris_indices(design, np.zeros(5))
    y = np.zeros(len(design))
    y[2] = np.nan
    with pytest.raises(ValueError, match="finite"):
        sa.morris_indices(design, y)
    with pytest.raises(ValueError, match="no Saltelli blocks"):
        sa.sobol_indices(design, np.zeros(len(design)))
    with pytest.raises(ValueError, match="power of 2"):
        sa.saltelli_design(PI_SPACE, n=100)


def test_judgement_parameters_come_from_the_registry():
    space = sa.judgement_parameters(keys=["talent.beta_wage", "firms.loss_months_exit"])
    beta, months = space.parameters
    assert (beta.low, beta.high, beta.integer) == (2.0, 6.0, False)  # default 4, +-50 %
    assert months.integer and months.low == 6 and months.high == 18
    everything = sa.judgement_parameters()
    assert "talent.beta_wage" in everything.keys
    assert "run.steps" not in everything.keys  # a convention, not a judgement
    with pytest.raises(KeyError, match="run.seed"):
        sa.judgement_parameters(keys=["run.seed"])


def test_write_experiment_and_read_responses_back(tmp_path, regionsim_cli):
    import regionsim

    repo = Path(__file__).resolve().parents[2]
    space = sa.Space([sa.Parameter("talent.beta_wage", 3, 5),
                      sa.Parameter("firms.loss_months_exit", 6, 18, integer=True)])
    design = sa.morris_design(space, trajectories=2, seed=1)
    arms = {"baseline": repo / "scenarios" / "baseline.toml",
            "separation": repo / "scenarios" / "separation.toml"}
    exp = sa.write_experiment(design, tmp_path / "morris.toml", arms, replicates=2, seed=3,
                              steps=2, overrides=["run.scale=0.004"])
    spec = tomllib.loads(exp.read_text())
    assert len(spec["scenarios"]) == 2 * len(design)
    assert (spec["replicates"], spec["seed"], spec["steps"]) == (2, 3, 2)
    point = tomllib.loads((tmp_path / spec["scenarios"][len(design) + 1]).read_text())
    assert point["name"] == "separation@p0001"
    assert point["talent"]["beta_wage"] == design.values[1, 0]
    assert point["firms"]["loss_months_exit"] == int(design.values[1, 1])
    assert (tmp_path / "morris-points" / point["extends"]).resolve() == arms["separation"]
    again = sa.Design.load(tmp_path / "morris-design.json")
    assert np.array_equal(again.values, design.values) and again.space == design.space

    out = tmp_path / "morris.h5"
    subprocess.run([str(regionsim_cli), "run", "--experiment", str(exp), "-o", str(out),
                    "--threads", "2"], check=True, capture_output=True, timeout=300)
    ds = regionsim.open(out)
    assert ds.sizes["run"] == 2 * len(design) * 2
    total_firms = lambda d: d.firms.isel(time=-1).sum(["zone", "sector"])  # noqa: E731
    levels = sa.design_responses(ds, design, total_firms, arm="baseline")
    effect = sa.design_responses(ds, design, total_firms, arm="separation", baseline="baseline")
    assert levels.shape == effect.shape == (len(design),)
    # The first point's level is the mean over its two replicates.
    first = total_firms(ds).where(ds.scenario == "baseline@p0000", drop=True).values
    assert levels[0] == pytest.approx(first.mean())
    assert np.all(np.isfinite(effect))
    with pytest.raises(KeyError, match="no run of nothing@p0000"):
        sa.design_responses(ds, design, total_firms, arm="nothing")
