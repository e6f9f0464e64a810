"""Shared fixtures: one small real run of the built command line, made once per test session.

CTest sets REGIONSIM_BINARY to the built CLI (and PYTHONPATH to analysis/). Run by hand from the
repository root with Debian's interpreter:

    PYTHONPATH=analysis /usr/bin/python3 -m pytest tests/python

Without REGIONSIM_BINARY the release build (build/release/regionsim) is used.
Heavy imports stay inside the fixtures so other test files here are not affected by them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIO = REPO_ROOT / "scenarios" / "baseline.toml"
# Small and short: enough agents for every flow to be non-trivial, fast enough for every CI run.
SMALL_RUN_SETTINGS = ("run.scale=0.01", "run.steps=24")
RUN_TIMEOUT_S = 600


def regionsim_binary() -> Path:
    """The CLI under test: $REGIONSIM_BINARY, else build/release/regionsim; fails clearly."""
    env = os.environ.get("REGIONSIM_BINARY")
    if env:
        path = Path(env)
        if not (path.is_file() and os.access(path, os.X_OK)):
            pytest.fail(f"REGIONSIM_BINARY={env} is not an executable file", pytrace=False)
        return path
    path = REPO_ROOT / "build" / "release" / "regionsim"
    if path.is_file() and os.access(path, os.X_OK):
        return path
    pytest.fail(
        "no regionsim binary: REGIONSIM_BINARY is unset and build/release/regionsim does not "
        "exist. Build it (cmake --preset release && cmake --build --preset release) or run the "
        "tests through ctest / scripts/test-all.sh.",
        pytrace=False,
    )


def small_run_args(binary: Path, out: Path) -> list[str]:
    args = [str(binary), "run", str(SCENARIO)]
    for setting in SMALL_RUN_SETTINGS:
        args += ["--set", setting]
    return args + ["-o", str(out)]


def run_cli(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S, check=False)


@pytest.fixture(scope="session")
def regionsim_cli() -> Path:
    return regionsim_binary()


@pytest.fixture(scope="session")
def run_small(regionsim_cli):
    """Callable: run the small baseline to `out` (no --overwrite); returns the CompletedProcess."""
    return lambda out: run_cli(small_run_args(regionsim_cli, out))


@pytest.fixture(scope="session")
def small_run_path(regionsim_cli, tmp_path_factory) -> Path:
    """Path of an output file made by `regionsim run` on a small, short baseline."""
    out = tmp_path_factory.mktemp("small_run") / "small.h5"
    args = small_run_args(regionsim_cli, out)
    proc = run_cli(args)
    if proc.returncode != 0 or not out.is_file():
        pytest.fail(
            f"`{' '.join(args)}` exited with {proc.returncode}"
            f"{'' if out.is_file() else ' and wrote no file'}\n"
            f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}",
            pytrace=False,
        )
    return out


def h5_text(dataset) -> list[str]:
    """The strings of an h5py text dataset: a classic character array (n, strlen), as the engine
    writes labels since format 2, or a netCDF-4 `string` variable (format 1)."""
    import numpy as np

    if dataset.dtype.kind == "O":
        return list(dataset.asstr()[()])
    raw = np.asarray(dataset[()])
    return [row.tobytes().rstrip(b"\0").decode("utf-8") for row in raw]


@pytest.fixture(scope="session")
def small_run(small_run_path):
    """The small run's output opened with xarray (h5netcdf engine, CF decoding of coordinates and
    bounds), loaded into memory."""
    import xarray as xr

    with xr.open_dataset(small_run_path, engine="h5netcdf", decode_coords="all") as ds:
        loaded = ds.load()
    return loaded


# --- experiment files for the analysis tests (tests/python/test_analysis*.py) --------------------
# A small experiment, two scenarios x two sweep points x EXPERIMENT_REPLICATES replicates, in ONE
# file made by the engine during the test session. The variant scenario is written next to the
# file; it only raises the core's amenity, so every arm is a real, different run.

EXPERIMENT_SETTINGS = ("run.scale=0.006", "run.steps=24")
EXPERIMENT_REPLICATES = 4
EXPERIMENT_SWEEP = ("talent.beta_wage", (3.0, 5.0))
VARIANT_TOML = """\
extends = "{base}"
name = "amenity-core"
description = "analysis tests: more park-city amenity in the core"

[zone.core]
amenity = 8.0
"""


def _experiment_with_cli(binary: Path, scenarios: list[Path], out: Path) -> None:
    key, values = EXPERIMENT_SWEEP
    args = [str(binary), "run", *map(str, scenarios),
            "--replicates", str(EXPERIMENT_REPLICATES),
            "--sweep", f"{key}={','.join(f'{v:g}' for v in values)}"]
    for setting in EXPERIMENT_SETTINGS:
        args += ["--set", setting]
    args += ["-o", str(out)]
    proc = run_cli(args)
    if proc.returncode != 0 or not out.is_file():
        pytest.fail(f"`{' '.join(args)}` exited with {proc.returncode}\n--- stdout ---\n"
                    f"{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}",
                    pytrace=False)


@pytest.fixture(scope="session")
def analysis_experiment(regionsim_cli, tmp_path_factory):
    """A small experiment file made by `regionsim run A.toml B.toml --replicates N --sweep …`:
    a namespace with path, scenarios, sweep_key, sweep_values and replicates."""
    from types import SimpleNamespace

    workdir = tmp_path_factory.mktemp("experiment")
    variant = workdir / "amenity-core.toml"
    variant.write_text(VARIANT_TOML.format(base=SCENARIO.as_posix()), encoding="utf-8")
    out = workdir / "experiment.h5"
    _experiment_with_cli(regionsim_cli, [SCENARIO, variant], out)
    return SimpleNamespace(path=out, scenarios=["baseline", "amenity-core"],
                           sweep_key=EXPERIMENT_SWEEP[0], sweep_values=list(EXPERIMENT_SWEEP[1]),
                           replicates=EXPERIMENT_REPLICATES)


@pytest.fixture(scope="session")
def single_run_files(regionsim_cli, tmp_path_factory):
    """Three small single-run files for combining files: the baseline and separation at the
    scenarios' seed (paired: replicate 0, same seed), and the baseline at another seed."""
    from types import SimpleNamespace

    workdir = tmp_path_factory.mktemp("single_runs")
    made = {}
    for name, scenario, seed in (("base", "baseline", None), ("sep", "separation", None),
                                 ("base99", "baseline", 99)):
        out = workdir / f"{name}.h5"
        args = [str(regionsim_cli), "run", str(REPO_ROOT / "scenarios" / f"{scenario}.toml")]
        for setting in SMALL_RUN_SETTINGS:
            args += ["--set", setting]
        if seed is not None:
            args += ["--seed", str(seed)]
        proc = run_cli(args + ["-o", str(out)])
        if proc.returncode != 0:
            pytest.fail(f"`{' '.join(args)}` failed:\n{proc.stderr[-2000:]}", pytrace=False)
        made[name] = out
    return SimpleNamespace(dir=workdir, **made)


@pytest.fixture(scope="session")
def experiment_report(analysis_experiment, tmp_path_factory):
    """`python3 -m regionsim report` of the analysis experiment, made once: the report and the
    explorer page it writes beside itself and links to (namespace: report, explorer, proc)."""
    import sys
    from types import SimpleNamespace

    out = tmp_path_factory.mktemp("report") / "report.html"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT / "analysis")] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    proc = subprocess.run([sys.executable, "-m", "regionsim", "report",
                           str(analysis_experiment.path), "-o", str(out)],
                          capture_output=True, text=True, env=env, cwd=out.parent,
                          timeout=RUN_TIMEOUT_S, check=False)
    if proc.returncode != 0:
        pytest.fail(f"regionsim report failed:\n{proc.stderr[-3000:]}", pytrace=False)
    return SimpleNamespace(report=out, explorer=out.with_name("report-explorer.html"), proc=proc)
