"""The files the engine writes as CF-aware tools see them (format 2, docs/output.md): CF
attributes decoded by xarray, every unit parsed by UDUNITS (udunits2, Debian udunits-bin), NCO's
ncks, ncra and ncwa working on every file, compression, and the format promise (the package reads
format 1 and refuses a newer format clearly).

NCO and udunits2 are in `scripts/bootstrap.sh test`; without them their tests are skipped and say
why.
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
h5py = pytest.importorskip("h5py")

import regionsim  # noqa: E402  (PYTHONPATH=analysis)

from conftest import EXPERIMENT_SETTINGS, REPO_ROOT, SCENARIO, run_cli  # noqa: E402

UDUNITS_XML = REPO_ROOT / "docs" / "udunits" / "regionsim-udunits2.xml"
NCO = {tool: shutil.which(tool) for tool in ("ncks", "ncra", "ncwa")}
needs_nco = pytest.mark.skipif(not all(NCO.values()), reason="NCO (Debian package 'nco', in "
                               "scripts/bootstrap.sh test) is not installed")
needs_udunits = pytest.mark.skipif(shutil.which("udunits2") is None, reason="udunits2 (Debian "
                                   "package 'udunits-bin', in scripts/bootstrap.sh test) is not "
                                   "installed")


@pytest.fixture(scope="module")
def files(small_run_path, analysis_experiment):
    return {"single run": small_run_path, "experiment with a sweep": analysis_experiment.path}


def series_names(path) -> list[str]:
    with h5py.File(path, "r") as f:
        return [n for n, d in f.items() if isinstance(d, h5py.Dataset) and "cell_methods" in d.attrs]


# --- CF attributes ----------------------------------------------------------------------------

def test_cf_attributes_read_back_through_xarray(small_run_path):
    with xr.open_dataset(small_run_path, engine="h5netcdf", decode_coords="all") as ds:
        assert ds.attrs["Conventions"] == "CF-1.8" and int(ds.attrs["format_version"]) == 2
        # time and its bounds decode to dates; each record covers its month.
        assert ds["time"].encoding["bounds"] == "time_bnds" and "time_bnds" in ds.coords
        bounds = ds["time_bnds"].values
        assert (bounds[:, 0] == ds["time"].values).all()
        assert (bounds[1:, 0] == bounds[:-1, 1]).all() and str(bounds[0, 1])[:10] == "2021-02-01"
        assert ds["time"].attrs["standard_name"] == "time"
        # labels are characters on disk and str in xarray
        assert list(ds["zone"].values[:2]) == ["core", "nevz"] and ds["zone"].dtype == object
        assert ds["scenario"].values.tolist() == ["baseline"]
        for name, var in ds.data_vars.items():
            if "time" not in var.dims or "run" not in var.dims:
                continue
            assert var.attrs["units"] and var.attrs["units_label"] and var.attrs["long_name"]
            assert var.attrs["cell_methods"] in ("time: sum",
                                                 "time: point (comment: end of the month)"), name
        assert ds["firms"].attrs["cell_methods"].startswith("time: point")   # a stock
        assert ds["firm_entries"].attrs["cell_methods"] == "time: sum"        # a flow
        assert ds["output"].attrs["units"] == "1e6 CNY"
        assert ds["output"].attrs["units_label"] == "million CNY per month"
        assert ds["employment"].attrs["units_label"] == "persons"


@needs_udunits
def test_every_unit_parses_with_udunits(files):
    units = set()
    for path in files.values():
        with h5py.File(path, "r") as f:
            for dataset in f.values():
                if "units" in dataset.attrs:
                    value = dataset.attrs["units"]
                    units.add(value.decode() if isinstance(value, bytes) else str(value))
    assert {"1", "1e6 CNY", "1e6 CNY month-1", "days since 2021-01-01"} <= units
    for unit in sorted(units):
        proc = subprocess.run(["udunits2", "-H", unit, "-W", "", str(UDUNITS_XML)],
                              capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 0 and "recognize" not in proc.stderr, (unit, proc.stderr)
    # CNY is the one unit the standard database lacks: the shipped one defines it.
    plain = subprocess.run(["udunits2", "-H", "1e6 CNY", "-W", ""], capture_output=True,
                           text=True, timeout=60, check=False)
    assert "recognize" in plain.stderr + plain.stdout


# --- NCO --------------------------------------------------------------------------------------

@needs_nco
@pytest.mark.parametrize("kind", ["single run", "experiment with a sweep"])
def test_nco_averages_every_file_over_run_zone_and_time(files, kind, tmp_path):
    path = files[kind]
    commands = [["ncks", "-O", path, "ks.nc"], ["ncra", "-O", path, "ra.nc"]]
    for dim in ("run", "zone", "time", "jurisdiction"):
        commands.append(["ncwa", "-O", "-a", dim, path, f"wa_{dim}.nc"])
    commands.append(["ncwa", "-O", "-a", "run", "-v", "output", path, "output_run.nc"])
    for command in commands:
        proc = subprocess.run([NCO[command[0]], *map(str, command[1:])], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, f"{' '.join(map(str, command))}: {proc.stderr[-2000:]}"
    with xr.open_dataset(path, engine="h5netcdf") as ds, \
            xr.open_dataset(tmp_path / "output_run.nc", engine="h5netcdf") as avg:
        np.testing.assert_allclose(avg["output"].values, ds["output"].mean("run").values,
                                   rtol=1e-12)
    with xr.open_dataset(tmp_path / "wa_zone.nc", engine="h5netcdf") as avg, \
            xr.open_dataset(path, engine="h5netcdf") as ds:
        np.testing.assert_allclose(avg["wage"].values, ds["wage"].mean("zone").values, rtol=1e-12)


# --- compression ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def uncompressed_pair(regionsim_cli, tmp_path_factory):
    """The same small experiment written with and without compression."""
    out = tmp_path_factory.mktemp("compression")
    args = [str(regionsim_cli), "run", str(SCENARIO), "--replicates", "4"]
    for setting in EXPERIMENT_SETTINGS:
        args += ["--set", setting]
    for name, extra in (("packed.h5", []), ("plain.h5", ["--no-compress"])):
        proc = run_cli(args + extra + ["-o", str(out / name)])
        assert proc.returncode == 0, proc.stderr
    return out / "packed.h5", out / "plain.h5"


def test_series_are_compressed_in_chunks_of_one_whole_run(uncompressed_pair):
    packed, plain = uncompressed_pair
    with h5py.File(packed, "r") as f, h5py.File(plain, "r") as g:
        for name in series_names(packed):
            assert f[name].compression == "gzip" and f[name].shuffle, name
            assert f[name].chunks[:2] == (1, f["time"].shape[0]), (name, f[name].chunks)
            assert g[name].compression is None, name
            np.testing.assert_array_equal(f[name][()], g[name][()])   # values unchanged
    ratio = packed.stat().st_size / plain.stat().st_size
    assert ratio < 0.6, f"compressed file is {ratio:.0%} of the uncompressed one"


# --- the format promise -----------------------------------------------------------------------

def _as_format_1(path, out):
    """A file in the layout of format 1 (docs/output.md): the same data with netCDF-4 string
    labels, the old units, no bounds, no units labels and no format_version."""
    old_units = {"million CNY": "mCNY", "million CNY per month": "mCNY month-1",
                 "million CNY per firm": "mCNY firm-1",
                 "million CNY per month per person": "mCNY month-1 person-1",
                 "million CNY per month per workplace": "mCNY month-1 workplace-1"}
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        ds = ds.load().drop_vars("time_bnds")
    ds.attrs.pop("format_version")
    ds["time"].attrs.pop("bounds", None)
    ds["time"].encoding.pop("bounds", None)
    for var in ds.variables.values():
        label = var.attrs.pop("units_label", None)
        if "units" in var.attrs and label:
            var.attrs["units"] = "persons" if label.startswith("persons") else \
                old_units.get(label, var.attrs["units"])
        var.encoding = {k: v for k, v in var.encoding.items() if k in ("units", "calendar")}
    ds.to_netcdf(out, engine="h5netcdf")
    return out


def test_the_package_reads_format_1(small_run_path, tmp_path):
    old = _as_format_1(small_run_path, tmp_path / "format1.h5")
    with h5py.File(old, "r") as f:
        assert "format_version" not in f.attrs and f["zone"].dtype.kind == "O"
    with regionsim.open(old) as one, regionsim.open(small_run_path) as new:
        assert one["zone"].values.tolist() == new["zone"].values.tolist()
        np.testing.assert_array_equal(one["wage"].values, new["wage"].values)
        c_old = regionsim.compare(one, "output", reduce="sum", months="last12")
        c_new = regionsim.compare(new, "output", reduce="sum", months="last12")
        assert c_old.levels["mean"].tolist() == c_new.levels["mean"].tolist()
        assert c_old.levels["units"].tolist() == c_new.levels["units"].tolist() == \
            ["million CNY per month"]


def test_a_newer_format_is_refused_clearly(small_run_path, tmp_path):
    newer = tmp_path / "newer.h5"
    shutil.copyfile(small_run_path, newer)
    with h5py.File(newer, "r+") as f:
        f.attrs["format_version"] = np.int64(99)
    with pytest.raises(ValueError, match=r"format_version 99.*reads versions 1, 2.*newer"):
        regionsim.open(newer)
    from test_analysis import run_module

    proc = run_module(["regionsim", "compare", str(newer), "output"], tmp_path)
    assert proc.returncode == 2 and "format_version 99" in proc.stderr

