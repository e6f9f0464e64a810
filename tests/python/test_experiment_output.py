"""A real multi-run file (replicates x a sweep) read with xarray: the run coordinates attach to every
variable, provenance sits along `run`, and the command line's experiment errors exit with code 2.

The C++ tests (tests/experiment_runner_test.cpp) check the bytes; this checks what analysts see.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO_ROOT, SCENARIO, run_cli

REPLICATES = 3
BETAS = ("2.5", "3")


@pytest.fixture(scope="module")
def experiment_run(regionsim_cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("experiment") / "exp.h5"
    proc = run_cli([str(regionsim_cli), "run", str(SCENARIO), "--replicates", str(REPLICATES),
                    "--sweep", "talent.beta_wage=" + ",".join(BETAS),
                    "--set", "run.scale=0.01", "--steps", "6", "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    return out, proc


@pytest.fixture(scope="module")
def experiment(experiment_run):
    xr = pytest.importorskip("xarray")
    with xr.open_dataset(experiment_run[0], engine="h5netcdf") as ds:
        yield ds.load()


def test_run_dimension_holds_every_run(experiment):
    assert experiment.sizes["run"] == REPLICATES * len(BETAS)
    assert experiment["run"].values.tolist() == list(range(REPLICATES * len(BETAS)))


def test_run_coordinates_attach_to_data_variables(experiment):
    for coord in ("scenario", "replicate", "seed", "talent__beta_wage"):
        assert coord in experiment.coords, f"{coord} is not a coordinate"
        assert coord in experiment["firms"].coords, f"{coord} not attached to firms"
        assert experiment[coord].dims == ("run",)
    assert experiment["talent__beta_wage"].attrs["key"] == "talent.beta_wage"
    assert experiment["talent__beta_wage"].values.tolist() == [2.5] * REPLICATES + [3.0] * REPLICATES
    assert experiment["replicate"].values.tolist() == list(range(REPLICATES)) * len(BETAS)


def test_seeds_are_paired_across_sweep_points(experiment):
    seeds = experiment["seed"].values.reshape(len(BETAS), REPLICATES)
    assert (seeds == seeds[0]).all(), "replicate k must have the same seed at every sweep point"
    assert seeds[0, 0] == 1, "replicate 0 uses the base seed (baseline run.seed = 1)"
    assert len(set(seeds[0].tolist())) == REPLICATES


def test_provenance_along_run(experiment):
    for name in ("scenario_toml", "scenario_extends_chain", "scenario_hash", "wall_seconds",
                 "forked_from_month"):
        assert experiment[name].dims == ("run",), name
    tomls = [str(t) for t in experiment["scenario_toml"].values]
    assert all(re.search(r"^beta_wage = 3(\.0)?$", t, re.M) for t in tomls[REPLICATES:])
    assert all(len(str(h)) == 16 for h in experiment["scenario_hash"].values)
    assert (experiment["forked_from_month"].values == -1).all()
    assert (experiment["wall_seconds"].values > 0).all()
    for attr in ("engine_version", "git_commit", "build_type", "compiler", "cxx_flags", "threads",
                 "started_at", "ended_at", "experiment", "complete"):
        assert attr in experiment.attrs, attr
    assert experiment.attrs["complete"] == "true"


def test_group_by_a_swept_key(experiment):
    final = experiment["firms"].isel(time=-1).sum(["zone", "sector"])
    means = final.groupby("talent__beta_wage").mean()
    assert means.sizes["talent__beta_wage"] == len(BETAS)
    assert np.isfinite(means.values).all()


def test_closing_summary_names_each_sweep_point(experiment_run):
    stdout = experiment_run[1].stdout
    for beta in BETAS:
        assert f"baseline [talent.beta_wage={beta}]" in stdout, stdout
    assert f"Wrote {experiment_run[0]}" in stdout


def test_validate_lists_the_default_experiments_runs(regionsim_cli):
    proc = run_cli([str(regionsim_cli), "validate", "--experiment",
                    str(REPO_ROOT / "scenarios" / "experiments" / "default.toml")])
    assert proc.returncode == 0, proc.stderr
    assert "valid (" in proc.stdout


@pytest.mark.parametrize("args, fragment", [
    (["--experiment", "tests/data/bad_experiments/unknown_key.toml"],
     "unknown key 'replicate'; did you mean 'replicates'?"),
    ([str(SCENARIO), "--sweep", "talent.beta_wage=1:2:0"], "the step is 0"),
    ([str(SCENARIO), "--replicates", "0"], "--replicates 0: expected a count of at least 1"),
    ([str(SCENARIO), "--experiment", "scenarios/experiments/default.toml"],
     "give scenario files or --experiment FILE, not both"),
])
def test_bad_experiments_exit_with_code_2(regionsim_cli, tmp_path: Path, args, fragment):
    proc = run_cli([str(regionsim_cli), "run", *args, "-o", str(tmp_path / "never.h5")])
    assert proc.returncode == 2, proc.stderr
    assert fragment in proc.stderr
    assert not list(tmp_path.iterdir()), "nothing may be written for bad input"
