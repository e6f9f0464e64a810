"""The interactive explorer (python3 -m regionsim explore) on a real engine file: one
self-contained page whose numbers are compare()'s, drawn by a real browser.

The browser test runs Debian's headless Chromium (package chromium, in scripts/bootstrap.sh
test): it loads the page with a view in the URL hash and a selector change to make after the
first drawing, dumps the DOM and takes a screenshot. The page writes its state into #status
after every drawing, so the test sees that it drew, what it drew, and that the change of the
variable selector drew again. Without Chromium the test is skipped and says why.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pytest

pytest.importorskip("xarray")
pytest.importorskip("plotly")

import regionsim  # noqa: E402  (PYTHONPATH=analysis)

from test_analysis import run_module  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page(experiment_report):
    """The explorer `python3 -m regionsim report` wrote beside the report (the same page as
    `python3 -m regionsim explore FILE -o explorer.html`, which test_explore_command runs on a
    single-run file)."""
    assert experiment_report.explorer.is_file()
    return experiment_report.explorer


def test_report_links_to_the_explorer(experiment_report):
    text = experiment_report.report.read_text(encoding="utf-8")
    assert 'id="explorer-link" href="report-explorer.html"' in text


def test_explore_command_on_a_single_run(small_run_path, tmp_path):
    out = tmp_path / "one.html"
    proc = run_module(["regionsim", "explore", str(small_run_path), "-o", str(out),
                       "--vars", "output,wage,theil_output"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = page_data(out)
    assert [v["name"] for v in data["variables"]] == ["output", "wage", "theil_output"]
    assert data["baseline"] is None and data["series"]["wage|zone:core"]["units"]


def page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script id="data" type="application/json">(.*?)</script>', text, re.S)
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_page_is_self_contained_and_offline(page):
    text = page.read_text(encoding="utf-8")
    assert "plotly.js v" in text[:20000] or "plotly.js v" in text     # inlined library
    outside_scripts = re.sub(r"<script[^>]*>.*?</script>", "", text, flags=re.S)
    assert not re.search(r'(src|href)="(https?:|//)', outside_scripts), "loads something remotely"
    assert not re.search(r"<script[^>]+src=", text), "a script is not inlined"
    data = page_data(page)
    assert data["arms"][0].startswith("baseline")
    names = [v["name"] for v in data["variables"]]
    assert names[:3] == ["output", "employment", "firms"]
    places = [p["id"] for p in data["variables"][0]["places"]]
    assert places[0] == "all" and "zone:core" in places


def test_page_numbers_are_compares(page, analysis_experiment):
    data = page_data(page)
    with regionsim.open(analysis_experiment.path) as ds:
        ds = ds.load()
        rows = [row for window in ("post-reform", "last12") for row in regionsim.compare(
            ds, regionsim.metrics.total("output"), months=window).paired.itertuples()]
    for row in rows:
        shown = data["series"]["output|all"]["windows"][row.window][row.arm]
        factor = shown["diff"] / row.diff_mean
        assert shown["lo"] == pytest.approx(row.diff_lo * factor, rel=1e-5)
        assert shown["hi"] == pytest.approx(row.diff_hi * factor, rel=1e-5)
        assert shown["verdict"] == row.verdict


@pytest.mark.skipif(CHROMIUM is None, reason="the browser test needs Chromium (Debian package "
                    "'chromium', installed by scripts/bootstrap.sh test); none on PATH")
def test_page_draws_in_a_browser_and_redraws_on_a_selector_change(page, tmp_path):
    import matplotlib.image as mpimg

    shot = tmp_path / "explorer.png"
    url = page.resolve().as_uri() + "#var=output&window=last12&then=var:subsidies_paid"
    args = [CHROMIUM, "--headless", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--hide-scrollbars", "--window-size=1200,1000",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=20000",
            f"--screenshot={shot}", "--dump-dom", url]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")          # Chromium refuses to run as root otherwise
    proc = subprocess.run(args, capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    status = re.search(r'<div id="status"([^>]*)>', proc.stdout)
    assert status, f"no #status in the page:\n{proc.stdout[:2000]}"
    attrs = {k: html.unescape(v) for k, v in re.findall(r'data-([a-z]+)="([^"]*)"',
                                                        status.group(1))}
    assert attrs["ready"] == "1", attrs
    # Drawn once as asked in the URL, then again after the variable selector changed.
    assert attrs["history"] == "output:all:last12;subsidies_paid:all:last12", attrs
    assert attrs["draws"] == "2" and attrs["var"] == "subsidies_paid"
    assert int(attrs["traces"]) >= 6                  # levels and differences, with bands
    assert "subsidies_paid — region total" in proc.stdout          # the redrawn chart's title
    assert 'id="window-table"' in proc.stdout
    image = mpimg.imread(shot)[..., :3]
    assert image.shape[0] >= 900 and image.shape[1] >= 1100
    not_white = (image < 0.95).any(axis=2).mean()
    colour = (image.max(axis=2) - image.min(axis=2)) > 0.3      # the arms' lines and bands
    assert not_white > 0.05, f"the page looks blank ({not_white:.1%} non-white pixels)"
    assert colour.sum() > 2000, f"no coloured plot lines ({colour.sum()} coloured pixels)"
    assert np.isfinite(image).all()
