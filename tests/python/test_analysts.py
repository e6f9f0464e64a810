"""What an analyst reaches for after the walk-through (issue 10), on real engine files: select
runs by name, tidy tables, several files at once, intervals that do not depend on what else is
asked, and the small things (closed pipes, column names, listed valid names, group order, plot
layout and labels).

`analysis_experiment` (conftest.py): two scenarios x two sweep points x 4 replicates in one file;
`single_run_files`: single runs of the baseline and separation at one seed and of the baseline
at another.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tracemalloc
import warnings

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
pd = pytest.importorskip("pandas")
h5py = pytest.importorskip("h5py")

import regionsim  # noqa: E402  (PYTHONPATH=analysis)

from conftest import h5_text  # noqa: E402
from test_analysis import env_with_analysis, run_module  # noqa: E402

SWEEP = "talent__beta_wage"


@pytest.fixture(scope="module")
def ds(analysis_experiment):
    with regionsim.open(analysis_experiment.path) as opened:
        yield opened.load()


# --- select by name ------------------------------------------------------------------------------

def test_sel_by_scenario_replicate_and_sweep_key(ds, analysis_experiment):
    with h5py.File(analysis_experiment.path, "r") as f:
        scen = np.array(h5_text(f["scenario"]))
        output, rep, sweep = f["output"][()], f["replicate"][()], f[SWEEP][()]
    sub = ds.sel(scenario="amenity-core")
    assert sub.sizes["run"] == 8 and set(sub["scenario"].values) == {"amenity-core"}
    assert list(sub["run"].values) == list(np.flatnonzero(scen == "amenity-core"))
    one = ds.sel(scenario="amenity-core", replicate=2, **{SWEEP: 5.0})
    assert "run" not in one["output"].dims                     # one run: like isel(run=k)
    k = np.flatnonzero((scen == "amenity-core") & (rep == 2) & np.isclose(sweep, 5.0))[0]
    np.testing.assert_array_equal(one["output"].values, output[k])
    assert int(one["run"]) == k
    assert ds.sel(**{SWEEP: 3.0}).sizes["run"] == 8
    both = ds.sel(scenario=["baseline", "amenity-core"], replicate=[0, 1])
    assert both.sizes["run"] == 8
    assert ds.sel(run=5)["seed"].item() == ds["seed"].values[5]


def test_unknown_names_list_the_valid_ones(ds):
    with pytest.raises(KeyError, match="scenario='sep'.*valid: 'baseline', 'amenity-core'"):
        ds.sel(scenario="sep")
    with pytest.raises(KeyError, match="replicate=9.*valid: 0, 1, 2, 3"):
        ds.sel(replicate=9)
    with pytest.raises(KeyError, match="valid: 'baseline', 'amenity-core'"):
        ds.regionsim.select(scenario="sep")                    # no longer an empty dataset
    with pytest.raises(KeyError, match="did you mean 'core'.*valid: 'core', 'nevz'"):
        regionsim.compare(ds, "output", reduce={"zone": "Core", "sector": "sum"})


def test_the_index_keeps_every_flat_run_operation(ds, tmp_path):
    total = ds["output"].isel(time=-1).sum(["zone", "sector"])
    means = total.groupby("scenario").mean()                   # xarray's own groupby works
    assert set(means["scenario"].values) == {"baseline", "amenity-core"}
    ordered = ds.regionsim.groupby("scenario").mean()          # ... and this keeps file order
    assert list(ordered["scenario"].values) == ["baseline", "amenity-core"]
    assert ds.where(ds["scenario"] == "baseline", drop=True).sizes["run"] == 8
    joined = xr.concat([ds.isel(run=[0, 1]), ds.isel(run=[8, 9])], "run")
    assert list(joined.sel(scenario="amenity-core")["run"].values) == [8, 9]
    ds.isel(time=[0]).drop_vars(["scenario_toml"]).to_netcdf(tmp_path / "x.nc",
                                                             engine="h5netcdf")
    assert xr.open_dataset(tmp_path / "x.nc", engine="h5netcdf").sizes["run"] == ds.sizes["run"]
    # Runs of two arms never share a run number: aligning them is refused with the way out.
    with pytest.raises(ValueError, match="unstack"):
        total.sel(scenario="amenity-core") - total.sel(scenario="baseline")
    u = ds.regionsim.unstack()
    d = (u["output"].sel(scenario="amenity-core") - u["output"].sel(scenario="baseline"))
    assert d.sizes["replicate"] == 4


# --- tidy export ---------------------------------------------------------------------------------

def test_to_frame_one_row_per_run_and_month(ds, analysis_experiment):
    frame = ds.regionsim.to_frame()
    assert len(frame) == ds.sizes["run"] * ds.sizes["time"]
    for col in ("run", "scenario", SWEEP, "replicate", "seed", "arm", "time", "output", "wage",
                "theil_output", "firm_relocations"):
        assert col in frame.columns, col
    assert not set(frame.columns) & set(dir(pd.DataFrame))   # no column shadows .at, .T, ...
    row = frame[(frame["run"] == 5) & (frame["time"] == ds["time"].values[-1])].iloc[0]
    assert row["output"] == pytest.approx(float(ds["output"].isel(run=5, time=-1).sum()))
    assert row["wage"] == pytest.approx(float(ds["wage"].isel(run=5, time=-1).mean()))
    by_zone = regionsim.to_frame(ds, ["output", "wage"], dims=["zone"])
    assert len(by_zone) == ds.sizes["run"] * ds.sizes["time"] * ds.sizes["zone"]
    core = by_zone[(by_zone["run"] == 5) & (by_zone["zone"] == "core")]
    np.testing.assert_allclose(core["output"], ds["output"].isel(run=5).sel(zone="core")
                               .sum("sector").values)
    with pytest.raises(ValueError, match="no dimension 'zone'"):
        regionsim.to_frame(ds, ["theil_output"], dims=["zone"])


def test_export_command_writes_the_tidy_csv_block_by_block(ds, analysis_experiment, tmp_path):
    out = tmp_path / "tidy.csv"
    proc = run_module(["regionsim", "export", str(analysis_experiment.path), "--tidy", str(out),
                       "--dims", "zone", "--vars", "output,employment"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out)
    assert len(table) == ds.sizes["run"] * ds.sizes["time"] * ds.sizes["zone"]
    assert list(table.columns[:7]) == ["run", "arm", "scenario", SWEEP, "replicate", "seed",
                                       "time"]
    # Memory: the export holds one block of runs, not the file's cross product of dimensions.
    tracemalloc.start()
    regionsim.tidy.write_csv(ds, tmp_path / "all.csv", runs_per_block=2)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    cross = np.prod(list(ds.sizes.values())) * len(ds.data_vars) * 8   # ds.to_dataframe()
    assert peak < 8e6 and peak < cross / 50, (peak, cross)
    assert len(pd.read_csv(tmp_path / "all.csv")) == ds.sizes["run"] * ds.sizes["time"]


# --- many files ----------------------------------------------------------------------------------

def test_open_several_files_renumbers_runs_and_keeps_pairs(single_run_files):
    files = [single_run_files.base, single_run_files.sep]
    with regionsim.open(files) as both:
        assert list(both["run"].values) == [0, 1]
        assert list(both["scenario"].values) == ["baseline", "separation"]
        assert list(both["replicate"].values) == [0, 0]
        assert both["seed"].values[0] == both["seed"].values[1]
        assert list(both["source_file"].values) == [str(f) for f in files]
        c = regionsim.compare(both, "firms", reduce="sum")
        assert list(c.paired["n_pairs"]) == [1]
    with pytest.warns(regionsim.RegionsimWarning):             # base.h5, base99.h5: 2 seeds
        globbed = regionsim.open(str(single_run_files.dir / "base*.h5"))
    with globbed:
        assert globbed.sizes["run"] == 2


def test_files_with_other_seeds_become_other_replicates(single_run_files):
    with pytest.warns(regionsim.RegionsimWarning, match="renumbered by seed"):
        two = regionsim.open([single_run_files.base, single_run_files.base99])
    with two:
        assert list(two["replicate"].values) == [0, 1]          # was [0, 0]: not the same draws
        assert list(two["replicate_in_file"].values) == [0, 0]
        assert two.regionsim.arms["n_replicates"].tolist() == [2]
    with pytest.raises(ValueError, match="shares no seed"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regionsim.RegionsimWarning)
            regionsim.open([single_run_files.base99, single_run_files.sep])


def test_a_sweep_file_combines_with_a_file_without_the_sweep(analysis_experiment,
                                                             single_run_files):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regionsim.RegionsimWarning)
        both = regionsim.open([analysis_experiment.path, single_run_files.sep])
    with both:
        n = both.sizes["run"]
        assert n == 17 and list(both["run"].values) == list(range(n))
        assert np.isnan(both[SWEEP].values[-1]) and not np.isnan(both[SWEEP].values[:-1]).any()
        assert both["arm"].values[-1] == "separation"
        assert "separation" in set(both.regionsim.arms["arm"])


def test_open_mfdataset_works(single_run_files):
    pytest.importorskip("dask")
    files = [single_run_files.base, single_run_files.sep]
    raw = xr.open_mfdataset(files, engine="h5netcdf", combine="nested", concat_dim="run")
    with raw:
        both = regionsim.normalize(raw)
        assert list(both["run"].values) == [0, 1]               # the files' [0, 0] renumbered
        assert list(both["scenario"].values) == ["baseline", "separation"]
        assert float(both["output"].sum()) > 0


# --- reproducible statistics ---------------------------------------------------------------------

def test_an_interval_is_the_same_however_it_is_requested(ds, analysis_experiment, tmp_path):
    metric = regionsim.metrics.total("output")

    def final(c, arm="amenity-core talent.beta_wage=5"):
        row = c.paired[(c.paired["arm"] == arm) & (c.paired["window"] == "final")].iloc[0]
        return row["diff_lo"], row["diff_hi"]

    alone = final(regionsim.compare(ds, metric, months="final"))
    assert final(regionsim.compare(ds, metric, months=["final", "last12"])) == alone
    assert final(regionsim.compare(ds, metric, months=["last12", "final"])) == alone
    fewer = ds.sel(**{SWEEP: 5.0})                              # without the other arms
    assert final(regionsim.compare(fewer, metric, months="final")) == alone
    by_position = regionsim.compare(ds, metric, months=-1).paired       # the same month
    row = by_position[by_position["arm"] == "amenity-core talent.beta_wage=5"].iloc[0]
    assert (row["diff_lo"], row["diff_hi"]) == alone
    proc = run_module(["regionsim", "compare", str(analysis_experiment.path), "total_output",
                       "--months", "last12,final"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    cli = pd.read_csv(io.StringIO(proc.stdout))
    row = cli[(cli["arm"] == "amenity-core talent.beta_wage=5") & (cli["window"] == "final")]
    assert (row["diff_lo"].item(), row["diff_hi"].item()) == pytest.approx(alone, rel=1e-15)


def test_paired_table_reads_itself(ds):
    c = regionsim.compare(ds, regionsim.metrics.total("subsidies_paid"),
                          months=["post-reform", "last12"])
    p = c.paired
    assert set(p["window"]) == {"post-reform", "last12"}
    assert (p["p_adjusted"] >= p["p_value"] - 1e-12).all()          # Holm never lowers p
    assert (p["p_min"] >= 2.0 ** (1 - 4) - 1e-12).all()             # 4 pairs: p >= 0.125
    assert p["units"].iloc[0] in ("million CNY per month", "mCNY month-1")
    assert all(v.split()[0] in ("Higher", "Lower", "No") for v in p["verdict"])
    text = repr(c)
    assert "Warning: only 4 paired replicates" in text and "p_holm" in text


# --- the small things ----------------------------------------------------------------------------

def test_compare_into_a_closed_pipe_is_quiet(analysis_experiment, tmp_path):
    cmd = (f"{sys.executable} -m regionsim compare {analysis_experiment.path} output "
           f"--reduce sum --months final,last12 --table ensemble | head -n 2")
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True,
                          env=env_with_analysis(), cwd=tmp_path, timeout=300, check=False)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 2


def test_heatmap_titles_and_labels_do_not_overlap(ds):
    from regionsim.plots import flows_figure

    fig = flows_figure(ds, "firm_relocations")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    sup = fig._suptitle.get_window_extent(renderer)
    for ax in fig.axes[:-1]:                                      # the last is the colour bar
        title = ax.title.get_window_extent(renderer)
        assert not sup.overlaps(title), "figure title overlaps a panel title"
        label = ax.xaxis.label.get_window_extent(renderer)
        assert page.contains(label.x0, label.y0) and page.contains(label.x1, label.y1), \
            "the 'to' label is clipped"


def test_quicklook_names_the_run_and_shows_wages_in_cny(ds):
    from regionsim.plots import run_name

    name = run_name(ds.isel(run=5))
    assert name.startswith(f"{ds['scenario'].values[5]}, replicate {ds['replicate'].values[5]}")
    assert f"seed {ds['seed'].values[5]}" in name and "run 5" in name
    factor, units = regionsim.labels.display_units("mCNY month-1 person-1", 0.0134)
    assert (round(0.0134 * factor, 6), units) == (13.4, "thousand CNY per month per person")
    assert regionsim.labels.display_units("1e6 CNY month-1", 3700.0)[1] == \
        "billion CNY per month"
