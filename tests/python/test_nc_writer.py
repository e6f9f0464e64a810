"""The file NcWriter writes opens as plain netCDF-4 in xarray (h5netcdf) and netCDF-C's ncdump.

The file is produced by the GoogleTest case NcWriter.WritesNetcdf4Layout
(tests/nc_writer_test.cpp), which writes to $REGIONSIM_NC_SAMPLE when that is set. Set
REGIONSIM_TEST_BINARY to the regionsim_tests executable; without it these tests are skipped.
The expected values mirror write_sample() in that file.
"""

import os
import shutil
import subprocess

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
pytest.importorskip("h5netcdf")

TEST_BINARY = os.environ.get("REGIONSIM_TEST_BINARY")
GTEST_CASE = "NcWriter.WritesNetcdf4Layout"

ZONES = ["Haidian", "Zhōngguāncūn", "Yizhuang"]
SECTORS = ["ict", "biotech"]
DATES = np.array(["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"], dtype="datetime64[ns]")


def scenario_text():
    text = '# resolved scenario\n[run]\nname = "baseline — 基准"\n'
    return text + "".join(f"param_{i} = {i * 7}\n" for i in range(300))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    if not TEST_BINARY:
        pytest.skip("REGIONSIM_TEST_BINARY is not set (path of the regionsim_tests executable)")
    path = tmp_path_factory.mktemp("nc_writer") / "sample.nc"
    env = dict(os.environ, REGIONSIM_NC_SAMPLE=str(path))
    result = subprocess.run(
        [TEST_BINARY, f"--gtest_filter={GTEST_CASE}"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[  PASSED  ] 1 test" in result.stdout, f"{GTEST_CASE} did not run:\n{result.stdout}"
    assert path.exists()
    return path


@pytest.fixture(scope="module")
def dataset(sample):
    with xr.open_dataset(sample, engine="h5netcdf") as ds:
        ds.load()
        yield ds


def test_dimensions_are_named_and_sized(dataset):
    assert dict(dataset.sizes) == {"run": 1, "time": 4, "zone": 3, "sector": 2}
    assert dataset["gdp"].dims == ("run", "time", "zone", "sector")
    assert dataset["firms"].dims == ("run", "time", "zone")
    assert not any(name.startswith("phony_dim") for name in dataset.dims)


def test_string_coordinates_are_str(dataset):
    assert list(dataset["zone"].values) == ZONES
    assert list(dataset["sector"].values) == SECTORS
    assert all(type(value) is str for value in dataset["zone"].values)
    assert "zone" in dataset.indexes and "sector" in dataset.indexes


def test_time_decodes_to_dates(dataset):
    time = dataset["time"]
    assert np.issubdtype(time.dtype, np.datetime64)
    np.testing.assert_array_equal(time.values, DATES)
    assert time.encoding["units"] == "days since 2021-01-01"
    assert time.encoding["calendar"] == "proleptic_gregorian"
    assert time.attrs["standard_name"] == "time"
    assert "long_name" in time.attrs


def test_variables_carry_values_and_attributes(dataset):
    t, z, s = np.meshgrid(np.arange(4), np.arange(3), np.arange(2), indexing="ij")
    np.testing.assert_array_equal(dataset["gdp"].values[0], 100.0 * t + 10.0 * z + s + 0.25)
    assert dataset["gdp"].attrs["units"] == "mCNY"
    assert dataset["gdp"].attrs["long_name"] == "value added per month"

    assert dataset["firms"].dtype == np.int64
    np.testing.assert_array_equal(dataset["firms"].values[0], 1000 * t[:, :, 0] + z[:, :, 0])
    assert dataset["firms"].attrs["units"] == "1"

    # Run-level variables listed in `coordinates` become non-index coordinates.
    assert "seed" in dataset.coords and "scenario" in dataset.coords
    assert dataset["seed"].values.tolist() == [42]
    assert dataset["scenario"].values.tolist() == ["baseline"]


def test_root_attributes_are_python_values(dataset):
    attrs = dataset.attrs
    assert attrs["title"] == "regionsim nc_writer sample"
    assert attrs["scenario_toml"] == scenario_text()  # several KB, multi-line, UTF-8
    assert attrs["steps"] == 4 and isinstance(attrs["steps"], (int, np.integer))
    assert attrs["scale"] == 0.5
    assert attrs["empty"] == ""
    assert all(isinstance(attrs[k], str) for k in ("title", "scenario_toml", "empty"))


@pytest.fixture(scope="module")
def ncdump():
    path = shutil.which("ncdump")
    if path is None:
        pytest.skip("ncdump is not installed (Debian package netcdf-bin)")
    return path


def test_ncdump_reads_the_header(sample, ncdump):
    result = subprocess.run([ncdump, "-h", str(sample)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    header = result.stdout
    for line in ("run = 1 ;", "time = UNLIMITED ; // (4 currently)", "zone = 3 ;", "sector = 2 ;",
                 "double gdp(run, time, zone, sector) ;", "int64 firms(run, time, zone) ;",
                 "string zone(zone) ;", "double time(time) ;",
                 'gdp:units = "mCNY" ;', 'time:units = "days since 2021-01-01" ;',
                 "baseline — 基准"):
        assert line in header, f"{line!r} missing from ncdump -h:\n{header}"


def test_ncdump_reads_the_data(sample, ncdump):
    result = subprocess.run([ncdump, "-v", "time,zone,firms", str(sample)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "time = 0, 31, 59, 90 ;" in result.stdout
    assert 'zone = "Haidian", "Zhōngguāncūn", "Yizhuang" ;' in result.stdout
    assert "3000, 3001, 3002" in result.stdout
