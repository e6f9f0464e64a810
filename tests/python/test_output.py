"""The output file of a real (small) run: layout, metadata and the accounting identities.

Every identity is recomputed from the recorded data alone, as an analyst would, so a recorder bug
that the engine's own in-run checks cannot see (wrong index order, a dropped step, a mislabelled
coordinate) still fails here. The layout is documented in docs/output.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ZONES = ["core", "nevz", "lsiz", "fstc", "ngit"]
SIZES = {"time": 24, "zone": 5, "sector": 6, "skill": 3, "jurisdiction": 4,
         "zone_from": 5, "zone_to": 5}

ZONE_SECTOR = ("run", "time", "zone", "sector")
ZONE_SKILL = ("run", "time", "zone", "skill")
ZONE = ("run", "time", "zone")
ZONE_PAIR = ("run", "time", "zone_from", "zone_to")
JURISDICTION = ("run", "time", "jurisdiction")
VARIABLES = {
    "firms": ZONE_SECTOR, "employment": ZONE_SECTOR, "output": ZONE_SECTOR,
    "vacancies": ZONE_SECTOR, "firm_entries": ZONE_SECTOR, "firm_exits": ZONE_SECTOR,
    "talent_employed": ZONE_SKILL, "talent_seeking": ZONE_SKILL,
    "talent_arrivals": ZONE_SKILL, "talent_departures": ZONE_SKILL,
    "wage": ZONE, "rent": ZONE,
    "firm_relocations": ZONE_PAIR, "talent_relocations": ZONE_PAIR,
    "tax_collected": ZONE, "subsidies_received": ZONE,
    "tax_attributed": JURISDICTION, "gdp_attributed": JURISDICTION,
    "subsidies_paid": JURISDICTION, "budget": JURISDICTION,
}
COUNTS = ("firms", "employment", "vacancies", "firm_entries", "firm_exits", "talent_employed",
          "talent_seeking", "talent_arrivals", "talent_departures", "firm_relocations",
          "talent_relocations")
ROOT_ATTRIBUTES = ("scenario_toml", "seed", "engine_version", "git_commit", "threads")


def labels(coord) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(coord.values)]


def as_int(da) -> np.ndarray:
    """A count variable as exact int64; counts stored as floats must still be whole numbers."""
    values = np.asarray(da.values)
    if not np.issubdtype(values.dtype, np.integer):
        assert np.all(np.isfinite(values)) and np.all(values == np.round(values)), (
            f"{da.name} should hold whole counts")
    return values.astype(np.int64)


def net_moves_in(relocations):
    """Per zone: moves into it minus moves out of it, dims (run, time, zone)."""
    assert labels(relocations["zone_from"]) == labels(relocations["zone_to"])
    into = relocations.sum("zone_from").rename({"zone_to": "zone"})
    out_of = relocations.sum("zone_to").rename({"zone_from": "zone"})
    return (into - out_of).transpose("run", "time", "zone")


def assert_stock_flow(stock, inflow, outflow, moves, what):
    """stock(t) - stock(t-1) == inflow(t) - outflow(t) + moves in(t) - moves out(t), exactly."""
    stock, inflow, outflow = (as_int(x.transpose(*ZONE)) for x in (stock, inflow, outflow))
    net = as_int(net_moves_in(moves))
    change = stock[:, 1:] - stock[:, :-1]
    expected = inflow[:, 1:] - outflow[:, 1:] + net[:, 1:]
    bad = np.argwhere(change != expected)
    if bad.size:
        r, t, z = (int(i) for i in bad[0])
        zone = labels(moves["zone_to"])[z]
        pytest.fail(f"{what}: stock change != entries - exits + moves in - moves out at "
                    f"{len(bad)} (run, time, zone) points; first: run {r}, time index {t + 1}, "
                    f"zone {zone}: change {change[r, t, z]}, flows {expected[r, t, z]}")


def assert_same_total(a, b, what):
    """Equal at every (run, time) to a relative tolerance of 1e-9 of the series' magnitude."""
    a, b = np.asarray(a.transpose("run", "time").values), np.asarray(b.transpose("run", "time").values)
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9 * scale, err_msg=what)


# --- layout --------------------------------------------------------------------------------------

def test_dimension_sizes(small_run):
    for dim, size in SIZES.items():
        assert small_run.sizes.get(dim) == size, f"dimension {dim}"
    assert small_run.sizes.get("run", 0) >= 1


def test_every_variable_present_with_its_dimensions(small_run):
    for name, dims in VARIABLES.items():
        assert name in small_run.data_vars, f"missing variable {name}"
        assert small_run[name].dims == dims, f"{name} has dims {small_run[name].dims}"


def test_regionsim_outputs_lists_every_variable_in_the_file(regionsim_cli, small_run_path,
                                                           small_run):
    # `regionsim outputs` is the output registry: the file holds exactly what it lists (`<key>`
    # stands for swept-key coordinates, absent without sweeps), and each time series carries the
    # cell methods listed for it.
    import h5py

    proc = subprocess.run([str(regionsim_cli), "outputs", "--markdown"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in proc.stdout.splitlines() if line.startswith("| `")]
    listed = {row[0].strip("`") for row in rows}
    with h5py.File(small_run_path, "r") as f:
        in_file = set(f.keys())
    # `<name>_strlen` stands for the string length of each character variable.
    lengths = {name for name in in_file if name.endswith("_strlen")}
    assert lengths == {f"{name}_strlen" for name in listed if f"{name}_strlen" in in_file}
    assert listed - {"<key>", "<name>_strlen"} == in_file - lengths
    series = [row for row in rows if row[1].startswith("run, time")]
    assert len(series) >= len(VARIABLES)
    for name, _dims, _type, units, label, methods, _long_name in series:
        name = name.strip("`")
        assert small_run[name].attrs.get("cell_methods") == methods.strip("`"), name
        assert small_run[name].attrs.get("units") == units.strip("`"), name
        assert small_run[name].attrs.get("units_label") == label.strip("`"), name


def test_zone_coordinates(small_run):
    assert labels(small_run["zone"]) == ZONES
    assert labels(small_run["zone_from"]) == ZONES
    assert labels(small_run["zone_to"]) == ZONES
    for dim in ("sector", "skill", "jurisdiction"):
        names = labels(small_run[dim])
        assert all(names) and len(set(names)) == len(names), f"{dim} names {names}"


def test_time_is_monthly_from_2021_01(small_run):
    import pandas as pd

    time = small_run["time"]
    assert np.issubdtype(time.dtype, np.datetime64), f"time decodes to {time.dtype}"
    expected = pd.date_range("2021-01-01", periods=SIZES["time"], freq="MS")
    assert list(pd.DatetimeIndex(time.values)) == list(expected)


def test_every_data_variable_has_units_and_long_name(small_run):
    # Per-run provenance (scenario_toml, scenario_hash, ...) is text along `run` alone: a long name
    # but no units. Every time series has both.
    for name, var in small_run.data_vars.items():
        attrs = ("units", "long_name") if "time" in var.dims else ("long_name",)
        for attr in attrs:
            value = var.attrs.get(attr)
            assert isinstance(value, str) and value.strip(), f"{name} lacks a non-empty {attr}"


def test_root_attributes(small_run):
    for attr in ROOT_ATTRIBUTES:
        assert attr in small_run.attrs, f"missing root attribute {attr}"
    assert str(small_run.attrs["scenario_toml"]).strip()


def test_values_are_finite_and_counts_non_negative(small_run):
    for name in VARIABLES:
        values = np.asarray(small_run[name].values)
        assert np.all(np.isfinite(values)), f"{name} has NaN or inf"
    for name in COUNTS:
        assert np.all(as_int(small_run[name]) >= 0), f"{name} has negative counts"
    assert as_int(small_run["firms"]).sum(axis=3).min() > 0, "a zone has no firms at all"


# --- accounting identities -----------------------------------------------------------------------

def test_firms_are_conserved(small_run):
    ds = small_run
    # Firms enter as investment projects and as spin-offs of research institutes.
    assert_stock_flow(ds["firms"].sum("sector"), ds["firm_entries"].sum("sector") + ds["spinoffs"],
                      ds["firm_exits"].sum("sector"), ds["firm_relocations"], "firms")


def test_talent_is_conserved(small_run):
    ds = small_run
    stock = (ds["talent_employed"] + ds["talent_seeking"]).sum("skill")
    assert_stock_flow(stock, ds["talent_arrivals"].sum("skill"),
                      ds["talent_departures"].sum("skill"), ds["talent_relocations"], "talent")


def test_attributed_tax_sums_to_tax_collected(small_run):
    assert_same_total(small_run["tax_attributed"].sum("jurisdiction"),
                      small_run["tax_collected"].sum("zone"),
                      "sum of tax_attributed over jurisdictions != sum of tax_collected over zones")


def test_subsidies_paid_equal_subsidies_received(small_run):
    assert_same_total(small_run["subsidies_paid"].sum("jurisdiction"),
                      small_run["subsidies_received"].sum("zone"),
                      "sum of subsidies_paid over jurisdictions != sum of subsidies_received")


# --- the analysis package and the command line around the file ----------------------------------

def test_regionsim_open_reads_the_file(small_run_path, small_run):
    import regionsim

    with regionsim.open(small_run_path) as ds:
        assert set(ds.data_vars) == set(small_run.data_vars)
        np.testing.assert_array_equal(ds["firms"].values, small_run["firms"].values)


def test_quicklook_writes_five_pngs(small_run_path, tmp_path):
    outdir = tmp_path / "plots"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT / "analysis")] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    proc = subprocess.run(
        [sys.executable, "-m", "regionsim.quicklook", str(small_run_path), "-o", str(outdir)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    pngs = sorted(outdir.glob("*.png"))
    assert len(pngs) == 5, [p.name for p in pngs]
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{png.name} is not a PNG"
        assert str(png) in proc.stdout, f"{png} not printed"


def test_existing_output_is_not_overwritten_without_flag(run_small, small_run_path, tmp_path):
    target = tmp_path / "existing.h5"
    shutil.copyfile(small_run_path, target)
    before = hashlib.sha256(target.read_bytes()).hexdigest()

    proc = run_small(target)

    assert proc.returncode == 2, (
        f"expected exit code 2 for an existing output without --overwrite, got {proc.returncode}"
        f"\n{proc.stderr}")
    assert proc.stderr.strip(), "the refusal should say why on stderr"
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before, "the file was modified"
    leftovers = sorted(p.name for p in tmp_path.glob("existing.h5.partial*"))
    assert not leftovers, f"temporary files were left behind: {leftovers}"
