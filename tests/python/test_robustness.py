"""The robustness of policy conclusions over a Morris design (regionsim.robustness): summaries
checked against the design responses they are made of, the verdict sentences, the JSON round trip,
the report section and the command line, on a small real experiment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from regionsim import robustness as rb
from regionsim import sensitivity as sa

REPO = Path(__file__).resolve().parents[2]


def _row(mean, same, opposite, points=10):
    return {"mean": mean, "same_sign_share": same, "opposite_sign_share": opposite,
            "points": points, "parameters": [{"key": "a.b"}, {"key": "c.d"}]}


def test_verdicts_say_whether_the_sign_holds():
    assert rb.verdict(_row(-3.0, 1.0, 0.0)).startswith("lowers it at 10 of the 10 design points,")
    text = rb.verdict(_row(2.0, 0.7, 0.0))
    assert "raises it at 7 of the 10" in text and "unchanged at 3" in text
    assert "never the other way" in text
    text = rb.verdict(_row(2.0, 0.6, 0.4))
    assert "the sign flips at 4 of 10 points" in text
    assert text.endswith("depends most on `a.b` and `c.d`.")
    assert rb.verdict(_row(0.0, 0.0, 0.0)) == "no effect on average over the design."


@pytest.fixture(scope="module")
def morris_run(tmp_path_factory, regionsim_cli):
    import regionsim

    tmp = tmp_path_factory.mktemp("robust")
    space = sa.Space([sa.Parameter("firms.reloc_beta_subsidy", 0.5, 1.5),
                      sa.Parameter("government.tournament", 0.0, 0.5)])
    design = sa.morris_design(space, trajectories=2, seed=3)
    arms = {"baseline": REPO / "scenarios" / "baseline.toml",
            "joint-promotion": REPO / "scenarios" / "joint-promotion.toml"}
    exp = sa.write_experiment(design, tmp / "morris.toml", arms, replicates=1, seed=5, steps=30,
                              overrides=["run.scale=0.01", "government.budget_weight=1.0"])
    out = tmp / "morris.h5"
    subprocess.run([str(regionsim_cli), "run", "--experiment", str(exp), "-o", str(out),
                    "--threads", "2"], check=True, capture_output=True, timeout=300)
    return tmp, design, regionsim.open(out)


def test_summaries_are_those_of_the_design_responses(morris_run):
    tmp, design, ds = morris_run
    result = rb.robustness(ds, design, ["joint-promotion"], top=2)
    assert [r["response"] for r in result["rows"]] == ["subsidies within the region", "output"]
    for row, response in zip(result["rows"], rb.headline_responses()):
        effect = sa.design_responses(ds, design, response.per_run, arm="joint-promotion",
                                     baseline="baseline")
        assert row["points"] == len(design) == 6
        assert row["mean"] == pytest.approx(effect.mean())
        assert (row["low"], row["high"]) == (effect.min(), effect.max())
        # A response the design does not move would make the shares vacuous (both 0 by
        # definition): the fixture spends on promotion (budget weight 1, below the fitted 2.2, at
        # which the promoters of this tiny region offer almost nothing).
        assert np.any(effect != 0), response.name
        sign = np.sign(effect.mean())
        assert row["same_sign_share"] == pytest.approx(np.mean(np.sign(effect) == sign))
        assert row["opposite_sign_share"] == pytest.approx(np.mean(np.sign(effect) == -sign))
        ranked = sa.morris_indices(design, effect)
        assert [p["key"] for p in row["parameters"]] == list(ranked.index[:2])
    # The window: output a year over months 24.. of a 30-month run is 2 x the 6-month sum.
    out = rb.headline_responses()[1].per_run(ds)
    manual = ds.output.isel(time=slice(24, None)).sum(["time", "zone", "sector"]) * 2.0
    assert np.allclose(out.values, manual.values)


def test_json_round_trip_report_section_and_refusals(morris_run, tmp_path):
    from regionsim.report import write_report

    _, design, ds = morris_run
    result = rb.robustness(ds, design, ["joint-promotion"])
    path = rb.save(result, tmp_path / "r.json")
    assert rb.load(path) == result
    (tmp_path / "foreign.json").write_text('{"rows": []}')
    with pytest.raises(ValueError, match="not a robustness file"):
        rb.load(tmp_path / "foreign.json")
    report = write_report(ds, tmp_path / "report.html", robustness=path, n_boot=50)
    text = report.read_text()
    assert "How robust is this conclusion" in text
    assert "firms.reloc_beta_subsidy" in text and "joint-promotion" in text
    assert "|" in rb.markdown(result)


def test_command_line(morris_run, tmp_path):
    tmp, _, _ = morris_run
    env_path = str(REPO / "analysis")
    run = subprocess.run([sys.executable, "-m", "regionsim", "robustness", str(tmp / "morris.h5"),
                          "--design", str(tmp / "morris-design.json"), "-o",
                          str(tmp_path / "r.json")], capture_output=True, text=True,
                         env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("| joint-promotion |") == 2
    assert rb.load(tmp_path / "r.json")["rows"][0]["arm"] == "joint-promotion"
    (tmp_path / "bad.json").write_text("not json")
    bad = subprocess.run([sys.executable, "-m", "regionsim", "robustness",
                          str(tmp / "morris.h5"), "--design", str(tmp_path / "bad.json")],
                         capture_output=True, text=True,
                         env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}, timeout=120)
    assert bad.returncode == 2 and "bad.json" in bad.stderr and "Traceback" not in bad.stderr
