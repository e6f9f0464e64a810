"""The analysis commands on files they cannot use: one clear line on stderr, exit code 2, no
traceback (truncated, foreign HDF5, not HDF5 at all), and a warning on an interrupted run's file."""

import subprocess
import sys
import warnings

import h5py
import pytest

from test_analysis import env_with_analysis

COMMANDS = [
    ["compare", "{f}", "output"],
    ["export", "{f}", "--tidy", "{d}/t.csv"],
    ["report", "{f}", "-o", "{d}/r.html"],
    ["quicklook", "{f}", "-o", "{d}/plots"],
]


def _bad_files(small_run_path, tmp_path):
    data = small_run_path.read_bytes()
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(data[: len(data) // 2])
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = [1, 2, 3]
        f.attrs["title"] = "not a regionsim file"
    text = tmp_path / "text.h5"
    text.write_text("hello\n")
    empty = tmp_path / "empty.h5"
    empty.write_bytes(b"")
    return [truncated, foreign, text, empty]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_unreadable_files_give_one_line_and_exit_2(command, small_run_path, tmp_path):
    bad_files = _bad_files(small_run_path, tmp_path)
    if command[0] != "compare":
        bad_files = bad_files[:2]  # every kind through one command; the others see the two HDF5 ones
    for bad in bad_files:
        args = [a.format(f=bad, d=tmp_path) for a in command]
        proc = subprocess.run([sys.executable, "-m", "regionsim", *args], capture_output=True,
                              text=True, env=env_with_analysis(), cwd=tmp_path, timeout=120,
                              check=False)
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert "Traceback" not in proc.stderr, (bad.name, proc.stderr)
        assert proc.returncode == 2, (bad.name, proc.returncode, proc.stderr)
        assert len(lines) == 1 and str(bad.name) in lines[0], (bad.name, proc.stderr)


def _marked_copy(small_run_path, path, **attrs):
    """A copy of the small run's file at `path` with the given root attributes set, as an
    interrupted run leaves them (docs/output.md, "Partial files")."""
    path.write_bytes(small_run_path.read_bytes())
    with h5py.File(path, "r+") as f:
        for key, value in attrs.items():
            f.attrs[key] = value
    return path


def _open_and_collect_warnings(path):
    """Opens `path` with regionsim.open (one run expected) and returns the warnings raised."""
    import regionsim

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with regionsim.open(path) as ds:
            assert ds.sizes["run"] == 1
    return caught


def test_an_incomplete_file_opens_with_a_warning(small_run_path, tmp_path):
    marked = _marked_copy(small_run_path, tmp_path / "x.incomplete.h5", complete="false",
                          months_done="3", interrupted_by="SIGINT")
    caught = _open_and_collect_warnings(marked)
    assert any("incomplete" in str(w.message) and "SIGINT" in str(w.message) for w in caught)


def test_a_killed_runs_snapshot_warns_with_its_last_month(small_run_path, tmp_path):
    """OUTPUT.partial-PID left by a SIGKILL (docs/output.md, "Partial files"): no
    interrupted_by, the last month written named in one warning line, no traceback."""
    import regionsim

    snapshot = _marked_copy(small_run_path, tmp_path / "x.h5.partial-12345", complete="false",
                            months_done="12", last_month="2021-12")
    caught = _open_and_collect_warnings(snapshot)
    messages = [str(w.message) for w in caught if issubclass(w.category,
                                                            regionsim.RegionsimWarning)]
    assert any(str(snapshot) in m and "incomplete" in m and "last month written 2021-12" in m
               and "\n" not in m for m in messages), messages
