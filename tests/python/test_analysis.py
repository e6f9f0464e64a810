"""The analysis package on real files made by the engine in this test session.

`analysis_experiment` (conftest.py) is one file with two scenarios x two sweep points x 4
replicates, made by `regionsim run A.toml B.toml --replicates 4 --sweep …`; `small_run_path` a
plain single-run file. Numbers from regionsim.compare are checked against a direct numpy/scipy
computation on the arrays read with h5py, independently of xarray.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
pd = pytest.importorskip("pandas")
h5py = pytest.importorskip("h5py")
stats = pytest.importorskip("scipy.stats")

import regionsim  # noqa: E402  (PYTHONPATH=analysis)
from conftest import h5_text  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SWEEP = "talent__beta_wage"


# --- helpers -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ds(analysis_experiment):
    with regionsim.open(analysis_experiment.path) as opened:
        yield opened.load()


@pytest.fixture(scope="module")
def raw(analysis_experiment):
    """The file read with h5py: plain numpy arrays, no xarray involved."""
    with h5py.File(analysis_experiment.path, "r") as f:
        out = {name: f[name][()] for name in ("output", "employment", "talent_employed",
                                              "talent_seeking", "firm_relocations", "replicate",
                                              "seed", SWEEP)}
        out["scenario"] = np.array(h5_text(f["scenario"]), dtype=object)
        out["zone"] = h5_text(f["zone"])
    return out


def runs_of(raw, scenario, sweep_value):
    """Run indices of one arm, ordered by replicate."""
    idx = np.flatnonzero((raw["scenario"] == scenario) & np.isclose(raw[SWEEP], sweep_value))
    return idx[np.argsort(raw["replicate"][idx], kind="stable")]


def expanded_quantiles(n, level=0.9):
    alpha = (1 - level) / 2
    lower = stats.norm.cdf(np.sqrt(n / (n - 1)) * stats.t.ppf(alpha, n - 1))
    return lower, 1 - lower


def env_with_analysis():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT / "analysis")] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def run_module(args, cwd):
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                          env=env_with_analysis(), cwd=cwd, timeout=300, check=False)


class _Tables(HTMLParser):
    """Stdlib fallback for pandas.read_html: {table id: DataFrame of strings}."""

    def __init__(self):
        super().__init__()
        self.tables, self._id, self._rows, self._row, self._cell = {}, None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._id, self._rows = dict(attrs).get("id"), []
        elif tag == "tr" and self._rows is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag == "table" and self._rows is not None:
            if self._id:
                head, *body = self._rows
                self.tables[self._id] = pd.DataFrame(body, columns=head)
            self._rows = None


def html_tables(text: str) -> dict:
    """{table id: DataFrame}: pandas.read_html when lxml or bs4 is installed, else the stdlib
    parser above (then every cell is a string)."""
    import io

    try:
        frames = pd.read_html(io.StringIO(text))
    except ImportError:
        parser = _Tables()
        parser.feed(text)
        return parser.tables
    openings = re.findall(r"<table([^>]*)>", text)
    assert len(openings) == len(frames)
    out = {}
    for attrs, frame in zip(openings, frames):
        found = re.search(r'\bid="([^"]+)"', attrs)
        if found:
            out[found.group(1)] = frame
    return out


def num(series):
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


# --- loading -------------------------------------------------------------------------------------

def test_open_experiment_dims_and_coords(ds, analysis_experiment):
    n_arms = len(analysis_experiment.scenarios) * len(analysis_experiment.sweep_values)
    assert ds.sizes["run"] == n_arms * analysis_experiment.replicates
    assert ds.sizes["time"] == 24
    for dim in ("zone", "sector", "skill", "jurisdiction", "zone_from", "zone_to"):
        assert dim in ds.dims
    for coord in ("scenario", "replicate", "seed", SWEEP, "arm"):
        assert coord in ds.coords and ds[coord].dims == ("run",), coord
    assert ds[SWEEP].attrs["key"] == "talent.beta_wage"
    assert np.issubdtype(ds["time"].dtype, np.datetime64)
    assert list(pd.DatetimeIndex(ds["time"].values)) == list(
        pd.date_range("2021-01-01", periods=24, freq="MS"))
    assert ds["output"].dims == ("run", "time", "zone", "sector")
    assert ds.regionsim.scenarios == analysis_experiment.scenarios
    assert ds.regionsim.sweep_keys == [SWEEP]
    assert ds.regionsim.replicates == list(range(analysis_experiment.replicates))
    assert set(ds.regionsim.variables) >= {"output", "employment", "firm_relocations"}


def test_arms_and_common_random_numbers(ds, analysis_experiment):
    arms = ds.regionsim.arms
    assert len(arms) == len(analysis_experiment.scenarios) * len(analysis_experiment.sweep_values)
    assert set(arms["n_replicates"]) == {analysis_experiment.replicates}
    assert "baseline talent.beta_wage=3" in set(arms["arm"])
    design = ds.regionsim.design
    # replicate k has the same seed in every arm (paired arms) and different seeds across k
    seeds = design.groupby("replicate")["seed"].nunique()
    assert (seeds == 1).all()
    assert design.groupby("replicate")["seed"].first().is_unique


def test_select_and_unstack(ds, raw):
    sub = ds.regionsim.select(scenario="amenity-core", **{"talent.beta_wage": 5.0})
    assert sub.sizes["run"] == 4
    assert set(sub["arm"].values) == {"amenity-core talent.beta_wage=5"}
    un = ds.regionsim.unstack()
    assert {"scenario", SWEEP, "replicate"} <= set(un["output"].dims)
    cell = un["output"].sel(scenario="amenity-core", replicate=2, **{SWEEP: 5.0})
    run = runs_of(raw, "amenity-core", 5.0)[2]
    np.testing.assert_array_equal(cell.transpose("time", "zone", "sector").values,
                                  raw["output"][run])


def test_single_run_file_opens_and_compares(small_run_path, small_run):
    with regionsim.open(small_run_path) as one:
        assert one.sizes["run"] == 1
        assert set(one.data_vars) == set(small_run.data_vars)
        assert list(one["scenario"].values) == ["baseline"]
        assert list(one["replicate"].values) == [0]
        assert list(one["arm"].values) == ["baseline"]
        c = regionsim.compare(one, "firms", reduce="sum", months=["final", "last12"])
    assert c.paired.empty
    final = c.levels[c.levels["window"] == "final"].iloc[0]
    assert final["n"] == 1
    assert final["mean"] == small_run["firms"].isel(run=0, time=-1).sum().item()
    assert np.isnan(final["std"])


# --- comparison numbers against numpy ------------------------------------------------------------

def test_ensemble_matches_numpy(ds, raw):
    c = regionsim.compare(ds, "output", reduce="sum")
    total = raw["output"].sum(axis=(2, 3))                      # run x time
    times = pd.DatetimeIndex(ds["time"].values)
    for scenario in ("baseline", "amenity-core"):
        for value in (3.0, 5.0):
            runs = runs_of(raw, scenario, value)
            rows = c.ensemble[(c.ensemble["scenario"] == scenario)
                              & np.isclose(c.ensemble[SWEEP], value)].sort_values("time")
            assert list(rows["time"]) == list(times)
            x = total[runs]
            np.testing.assert_allclose(rows["mean"], x.mean(axis=0), rtol=1e-12)
            np.testing.assert_allclose(rows["std"], x.std(axis=0, ddof=1), rtol=1e-9)
            np.testing.assert_allclose(rows["lo"], np.quantile(x, 0.05, axis=0), rtol=1e-12)
            np.testing.assert_allclose(rows["hi"], np.quantile(x, 0.95, axis=0), rtol=1e-12)
            assert (rows["n"] == len(runs)).all()


@pytest.mark.parametrize("months", ["final", "last12"])
def test_paired_differences_match_numpy(ds, raw, months):
    c = regionsim.compare(ds, "output", reduce="sum", months=months, n_boot=3000, seed=7)
    total = raw["output"].sum(axis=(2, 3))
    x = total[:, -1] if months == "final" else total[:, -12:].mean(axis=1)
    assert len(c.paired) == 2                                   # amenity-core at 3 and at 5
    # The documented resampling: each row's own stream, stats.stream(seed, variable, arm,
    # baseline arm, window start, window stop), n_boot x n_pairs pair indices; the interval is
    # the expanded-percentile quantiles.
    start, stop = (23, 24) if months == "final" else (12, 24)
    for _, row in c.paired.iterrows():
        rng = regionsim.stats.stream(7, "output", row["arm"], row["baseline_arm"], start, stop)
        value = row[SWEEP]
        assert row["arm"] == f"amenity-core talent.beta_wage={value:g}"
        assert row["baseline_arm"] == f"baseline talent.beta_wage={value:g}"
        assert row["window"] == months
        base, arm = x[runs_of(raw, "baseline", value)], x[runs_of(raw, "amenity-core", value)]
        d = arm - base                                          # replicate by replicate
        assert row["n_pairs"] == len(d) == 4
        assert row["diff_mean"] == pytest.approx(d.mean(), rel=1e-12, abs=1e-12)
        assert row["baseline_mean"] == pytest.approx(base.mean(), rel=1e-12)
        assert row["arm_mean"] == pytest.approx(arm.mean(), rel=1e-12)
        assert row["diff_sd"] == pytest.approx(d.std(ddof=1), rel=1e-9)
        assert row["rel_diff"] == pytest.approx(d.mean() / base.mean(), rel=1e-9)
        expected_p = 1.0 if np.all(d == 0) else stats.wilcoxon(d).pvalue
        assert row["p_value"] == pytest.approx(expected_p, rel=1e-9)
        boot = d[rng.integers(0, len(d), size=(3000, len(d)))].mean(axis=1)
        q_lo, q_hi = expanded_quantiles(len(d))
        scale = max(abs(d).max(), 1e-300)
        assert row["diff_lo"] == pytest.approx(np.quantile(boot, q_lo), abs=1e-9 * scale)
        assert row["diff_hi"] == pytest.approx(np.quantile(boot, q_hi), abs=1e-9 * scale)
        # Resampled means lie between the smallest and the largest difference.
        assert d.min() - 1e-9 * scale <= row["diff_lo"] <= row["diff_mean"] <= row["diff_hi"] \
            <= d.max() + 1e-9 * scale
    again = regionsim.compare(ds, "output", reduce="sum", months=months, n_boot=3000, seed=7)
    pd.testing.assert_frame_equal(c.paired, again.paired)


def test_reduce_select_and_per_zone(ds, raw):
    core = raw["zone"].index("core")
    c = regionsim.compare(ds, "employment", reduce={"zone": "core", "sector": "sum"})
    x = raw["employment"][:, -1, core, :].sum(axis=1)
    row = c.paired[np.isclose(c.paired[SWEEP], 3.0)].iloc[0]
    d = x[runs_of(raw, "amenity-core", 3.0)] - x[runs_of(raw, "baseline", 3.0)]
    assert row["diff_mean"] == pytest.approx(d.mean(), abs=1e-12)

    per_zone = regionsim.compare(ds, "employment", reduce={"sector": "sum"})
    assert set(per_zone.paired["zone"]) == set(raw["zone"])
    zrow = per_zone.paired[(per_zone.paired["zone"] == "core")
                           & np.isclose(per_zone.paired[SWEEP], 3.0)].iloc[0]
    assert zrow["diff_mean"] == pytest.approx(d.mean(), abs=1e-12)


def test_theil_metric_matches_formula(ds, raw):
    c = regionsim.compare(ds, regionsim.theil("output"), months="final")
    y = raw["output"][:, -1].sum(axis=2)                                    # run x zone
    n = (raw["talent_employed"][:, -1] + raw["talent_seeking"][:, -1]).sum(axis=2)
    s, p = y / y.sum(axis=1, keepdims=True), n / n.sum(axis=1, keepdims=True)
    theil = np.sum(np.where(s > 0, s * np.log(s / p), 0.0), axis=1)
    assert np.all(theil >= 0)
    row = c.paired[np.isclose(c.paired[SWEEP], 5.0)].iloc[0]
    d = theil[runs_of(raw, "amenity-core", 5.0)] - theil[runs_of(raw, "baseline", 5.0)]
    assert row["diff_mean"] == pytest.approx(d.mean(), rel=1e-9, abs=1e-15)
    assert c.var == "theil_output"


def test_compare_by_sweep_key(ds, raw):
    c = regionsim.compare(ds, "output", by="talent.beta_wage", baseline=3, reduce="sum")
    assert c.by == SWEEP and c.baseline == 3.0
    total = raw["output"].sum(axis=(2, 3))[:, -1]
    for scenario in ("baseline", "amenity-core"):
        row = c.paired[c.paired["scenario"] == scenario].iloc[0]
        assert row[SWEEP] == 5.0
        d = total[runs_of(raw, scenario, 5.0)] - total[runs_of(raw, scenario, 3.0)]
        assert row["diff_mean"] == pytest.approx(d.mean(), abs=1e-12)


def test_zero_sum_relocations(ds, raw):
    c = regionsim.compare(ds, regionsim.zero_sum_relocations(), months="last12")
    flows = raw["firm_relocations"]
    off = flows.sum(axis=(2, 3)) - np.trace(flows, axis1=2, axis2=3)
    x = off[:, -12:].mean(axis=1)
    row = c.paired[np.isclose(c.paired[SWEEP], 3.0)].iloc[0]
    d = x[runs_of(raw, "amenity-core", 3.0)] - x[runs_of(raw, "baseline", 3.0)]
    assert row["diff_mean"] == pytest.approx(d.mean(), abs=1e-12)


def test_unknown_baseline_is_a_clear_error(ds):
    with pytest.raises(ValueError, match="separation.*values"):
        regionsim.compare(ds, "output", baseline="separation")
    with pytest.raises(KeyError, match="no variable"):
        regionsim.compare(ds, "no_such_variable")


# --- plots ---------------------------------------------------------------------------------------

def assert_png(path: Path):
    import matplotlib.image as mpimg

    assert path.is_file(), path
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path.name} is not a PNG"
    assert len(data) > 10_000, f"{path.name} is suspiciously small ({len(data)} bytes)"
    image = mpimg.imread(path)
    assert image.shape[0] > 200 and image.shape[1] > 300
    assert float(image[..., :3].std()) > 0.01, f"{path.name} is blank"


def test_plots_are_written(ds, tmp_path):
    written = [
        regionsim.plot_timeseries(ds, "output", path=tmp_path / "ts.png"),
        regionsim.plot_timeseries(ds, regionsim.theil("output"), path=tmp_path / "theil.png"),
        regionsim.plot_zones(ds, "employment", path=tmp_path / "zones.png"),
        regionsim.plot_flows(ds, "firm_relocations", months="last12",
                             path=tmp_path / "flows.png"),
        regionsim.plot_sweep(ds, "output", key="talent.beta_wage", path=tmp_path / "sweep.png"),
    ]
    assert [p.name for p in written] == ["ts.png", "theil.png", "zones.png", "flows.png",
                                         "sweep.png"]
    for path in written:
        assert_png(Path(path))


def test_plot_sweep_needs_a_sweep(small_run_path, tmp_path):
    with regionsim.open(small_run_path) as one:
        with pytest.raises(ValueError, match="no sweep"):
            regionsim.plot_sweep(one, "output", path=tmp_path / "x.png")
        assert_png(regionsim.plot_timeseries(one, "wage", reduce="mean",
                                             path=tmp_path / "wage.png"))


# --- report and command line ---------------------------------------------------------------------

def test_report_of_experiment(analysis_experiment, ds, experiment_report):
    out, proc = experiment_report.report, experiment_report.proc
    assert str(out) in proc.stdout and str(experiment_report.explorer) in proc.stdout
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    images = re.findall(r'<img[^>]*src="([^"]+)"', text)
    assert len(images) >= 7 and all(s.startswith("data:image/png;base64,") for s in images)
    assert not re.search(r'(src|href)="(https?:|file:|/)', text), "report is not self-contained"

    tables = html_tables(text)
    summary = tables["summary"]
    metrics = [m.name for m in regionsim.metrics.headline(ds)]
    assert metrics == ["total_output", "total_employment", "total_firms", "total_tax_collected",
                       "total_subsidies_paid", "theil_output", "zero_sum_relocations"]
    assert list(dict.fromkeys(summary["metric"])) == metrics
    # amenity-core at each sweep point, over the post-reform period and the last 12 months
    assert len(summary) == len(metrics) * 2 * 2
    assert set(summary["window"]) == {"post-reform", "last12"}
    for col in ("units", "difference", "rel_diff_pct", "p", "p_holm", "verdict", "n_pairs"):
        assert col in summary.columns
    # The numbers are compare()'s (6 significant digits in the HTML), per metric's table.
    expected = regionsim.compare(ds, regionsim.metrics.headline(ds)[0],
                                 months=["post-reform", "last12"]).paired
    got = tables["paired-total_output"]
    np.testing.assert_allclose(num(got["diff_mean"]), expected["diff_mean"], rtol=1e-5)
    np.testing.assert_allclose(num(got["diff_lo"]), expected["diff_lo"], rtol=1e-5)
    np.testing.assert_allclose(num(got["p_value"]), expected["p_value"], rtol=1e-5)
    assert (num(got["n_pairs"]) == analysis_experiment.replicates).all()
    assert {"levels", "runs", "paired-total_output", "levels-theil_output"} <= set(tables)
    assert len(tables["runs"]) == ds.sizes["run"]
    # A report that reads itself: units, % with a sign, p with the smallest attainable marked,
    # Holm beside raw p (never smaller), one sentence per row, the replicate warning, a paired-
    # difference panel per headline metric and the key findings.
    units = dict(zip(summary["metric"], summary["units"]))
    assert units["total_output"] == "million CNY per month" and units["total_firms"] == "firms"
    assert all(re.fullmatch(r"[+-]\d+\.\d\d %", v) for v in summary["rel_diff_pct"] if v)
    full = pd.concat([tables[f"paired-{m}"] for m in metrics])
    assert (num(full["p_adjusted"]) >= num(full["p_value"]) - 1e-9).all()
    assert (num(full["p_min"]) >= 0.125 - 1e-12).all()        # 4 pairs: p >= 2 / 2**4
    assert all(re.match(r"(Higher|Lower) by|No clear difference", v) for v in summary["verdict"])
    assert "Only 4 replicates per arm (fewer than 10)" in text
    assert len(re.findall(r"<figcaption>[^<]*arm − baseline month by month", text)) == len(metrics)
    assert "Key findings" in text and 'id="explorer-link"' in text


def test_report_of_single_run(small_run_path, tmp_path):
    out = regionsim.write_report(small_run_path, tmp_path / "one.html")
    text = out.read_text(encoding="utf-8")
    assert "single run" in text and "no intervals" in text
    tables = html_tables(text)
    assert "summary" not in tables
    levels = tables["levels"]
    assert set(levels["arm"]) == {"baseline"}
    assert (num(levels["n"]) == 1).all()
    assert len(re.findall(r'src="data:image/png;base64,', text)) >= 7


def test_compare_command_prints_csv(analysis_experiment, tmp_path):
    import io

    proc = run_module(["regionsim", "compare", str(analysis_experiment.path), "theil_output",
                       "--months", "final,last12"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout))
    assert set(table["window"]) == {"final", "last12"} and len(table) == 4
    bad = run_module(["regionsim", "compare", str(analysis_experiment.path), "nope"], tmp_path)
    assert bad.returncode == 2 and "no variable" in bad.stderr


def test_quicklook_still_works_on_experiment_file(analysis_experiment, tmp_path):
    proc = run_module(["regionsim", "quicklook", str(analysis_experiment.path), "-o",
                       str(tmp_path / "ql"), "--run", "5"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "ql").glob("*.png"))) == 5


# --- the engine is the one source of its indicators ----------------------------------------------

@pytest.mark.parametrize("name", sorted(regionsim.metrics.FALLBACKS))
def test_package_fallback_equals_the_engines_indicator(ds, name):
    """For files without the indicator the package computes it; on a real engine file both must
    agree, so the fallback stays the engine's definition."""
    assert name in ds.variables, f"the engine no longer writes {name}"
    computed = regionsim.metrics.FALLBACKS[name](ds)
    engine = ds[name]
    assert computed.dims == engine.dims
    np.testing.assert_allclose(computed.values, engine.values, rtol=1e-9, atol=1e-15)


def test_indicators_are_read_from_the_file(ds):
    for name in ("theil_output", "zero_sum_relocations", "specialisation_index",
                 "subsidy_per_net_new_firm"):
        metric = regionsim.metrics.indicator(ds, name)
        assert metric is not None and metric.name == name
        xr.testing.assert_identical(metric(ds).reset_coords(drop=True),
                                    ds[name].reset_coords(drop=True))
        assert metric.units == ds[name].attrs["units"]
    for metric in regionsim.metrics.headline(ds):
        if metric.name in regionsim.metrics.FALLBACKS:
            assert metric.needs == (metric.name,), f"{metric.name} is not the file's variable"


def test_indicators_fall_back_for_files_without_them(ds):
    old = ds.drop_vars(list(regionsim.metrics.FALLBACKS))
    for name, fallback in regionsim.metrics.FALLBACKS.items():
        assert regionsim.metrics.indicator(old, name) is fallback
    names = [m.name for m in regionsim.metrics.headline(old)]
    assert names == [m.name for m in regionsim.metrics.headline(ds)]
    assert regionsim.metrics.indicator(old.drop_vars("output"), "theil_output") is None
    assert regionsim.metrics.indicator(ds, "no_such_indicator") is None
