"""The shape of the analysis package (analysis/regionsim): one version shared with the engine,
one gate for the run design, no module reaching into another's private helpers, the library
leaving matplotlib's backend alone, and files small enough to read.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, run_cli

PACKAGE = REPO_ROOT / "analysis" / "regionsim"
MAX_LINES = 600


def package_modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def test_version_is_the_engines(regionsim_cli):
    import regionsim

    proc = run_cli([str(regionsim_cli), "--version"])
    assert proc.returncode == 0, proc.stderr
    found = re.match(r"regionsim (\S+) ", proc.stdout)
    assert found, f"unexpected `regionsim --version` output: {proc.stdout!r}"
    assert regionsim.__version__ == found.group(1)


def test_version_is_set_once_in_cmake():
    from regionsim.version import cmake_version

    import regionsim

    assert regionsim.__version__ == cmake_version(REPO_ROOT / "CMakeLists.txt")
    tomllib = pytest.importorskip("tomllib")  # Python 3.11
    with open(REPO_ROOT / "analysis" / "pyproject.toml", "rb") as f:
        pyproject = tomllib.load(f)
    assert "version" not in pyproject["project"], "pyproject.toml writes its own version"
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "regionsim.version.__version__"}
    # The citation names the release too; it cannot be generated, so it is checked.
    cff = (REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(regionsim.__version__)}$", cff, re.M), (
        "CITATION.cff cites another version than CMakeLists.txt")


def test_output_file_records_the_same_version(small_run):
    import regionsim

    assert small_run.attrs["engine_version"] == regionsim.__version__


def test_no_module_imports_another_modules_private_names():
    offenders = []
    for path in package_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                names = [a.name for a in node.names]
                module = node.module or ""
                private = [n for n in names if n.startswith("_") and not n.startswith("__")]
                if private or any(part.startswith("_") and not part.startswith("__")
                                  for part in module.split(".")):
                    offenders.append(f"{path.name}: from {'.' * node.level}{module} import "
                                     f"{', '.join(names)}")
    assert not offenders, "private helpers imported across modules:\n" + "\n".join(offenders)


def test_one_gate_attaches_the_design():
    """Only dataset.py normalises; every other module goes through with_design."""
    callers = [p.name for p in package_modules()
               if p.name != "dataset.py" and re.search(r"\bnormalize\(|\"arm\" (not )?in ",
                                                       p.read_text(encoding="utf-8"))]
    assert not callers, f"modules attaching the design themselves: {callers}"


def test_with_design_normalises_once():
    import numpy as np
    import pandas as pd
    import xarray as xr

    import regionsim

    raw = xr.Dataset({"y": (("run", "time"), np.zeros((2, 1)))},
                     coords={"run": [0, 1], "time": pd.to_datetime(["2021-01-01"]),
                             "scenario": ("run", np.array([b"a", b"b"], dtype=object)),
                             "seed": ("run", [3, 3])})
    once = regionsim.with_design(raw)
    assert list(once["arm"].values) == ["a", "b"] and list(once["replicate"].values) == [0, 0]
    assert regionsim.with_design(once) is once


def test_importing_the_library_keeps_the_matplotlib_backend():
    code = ("import matplotlib, regionsim, regionsim.plots, regionsim.report, "
            "regionsim.quicklook, regionsim.cli; print(matplotlib.get_backend())")
    env = dict(os.environ, MPLBACKEND="svg",
               PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "analysis"),
                                           os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "svg"
    uses = [p.name for p in package_modules()
            if "matplotlib.use(" in p.read_text(encoding="utf-8")]
    assert uses == ["cli.py"], f"matplotlib.use outside the command line: {uses}"


def test_files_are_short():
    long = {p.name: n for p in package_modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"over {MAX_LINES} lines: {long}"
