"""Quick-look plots of one regionsim output file.

    PYTHONPATH=analysis /usr/bin/python3 -m regionsim.quicklook out/baseline.h5 -o out/plots

Writes five PNGs into the output directory (created if needed) and prints their paths:

    firms_by_zone.png                     firms per zone over time (all sectors)
    employment_by_zone.png                employment per zone over time (all sectors)
    wage_rent_by_zone.png                 wage and rent per zone over time (two panels)
    budget_subsidies_by_jurisdiction.png  budget and subsidies paid per jurisdiction
    firm_relocations.png                  firm relocations over the whole run, zone x zone

The plots are derived artefacts: files of these names in the output directory are overwritten
without asking. Only one run of the file is drawn (``--run``, default 0).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never needs a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import open as open_output  # noqa: E402

PLOTS = (
    "firms_by_zone.png",
    "employment_by_zone.png",
    "wage_rent_by_zone.png",
    "budget_subsidies_by_jurisdiction.png",
    "firm_relocations.png",
)


def _labels(coord) -> list[str]:
    """Coordinate values as str (h5netcdf may hand back bytes for fixed-length strings)."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(coord.values)]


def _axis_label(da) -> str:
    # The variable name, not its long_name: long names are sentences and overflow an axis.
    units = da.attrs.get("units")
    return f"{da.name} [{units}]" if units else str(da.name)


def _pick_run(da, run: int):
    return da.isel(run=run) if "run" in da.dims else da


def _lines_by(ax, da, dim: str, title: str) -> None:
    """One line per value of `dim`, time on the x axis."""
    for i, label in enumerate(_labels(da[dim])):
        ax.plot(da["time"].values, da.isel({dim: i}).values, label=label)
    ax.set_title(title)
    ax.set_xlabel("time")
    ax.set_ylabel(_axis_label(da))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", title=dim)


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _zone_series(ds, var: str, run: int, title: str, path: Path) -> Path:
    da = _pick_run(ds[var], run)
    summed = da.sum("sector", keep_attrs=True) if "sector" in da.dims else da
    fig, ax = plt.subplots(figsize=(8, 4.5))
    _lines_by(ax, summed, "zone", title)
    return _save(fig, path)


def plot_firms(ds, run: int, path: Path) -> Path:
    return _zone_series(ds, "firms", run, "Firms by zone (all sectors)", path)


def plot_employment(ds, run: int, path: Path) -> Path:
    return _zone_series(ds, "employment", run, "Employment by zone (all sectors)", path)


def plot_wage_rent(ds, run: int, path: Path) -> Path:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
    _lines_by(top, _pick_run(ds["wage"], run), "zone", "Wage by zone")
    _lines_by(bottom, _pick_run(ds["rent"], run), "zone", "Rent by zone")
    top.set_xlabel("")
    return _save(fig, path)


def plot_jurisdictions(ds, run: int, path: Path) -> Path:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
    _lines_by(top, _pick_run(ds["budget"], run), "jurisdiction", "Budget by jurisdiction")
    _lines_by(bottom, _pick_run(ds["subsidies_paid"], run), "jurisdiction",
              "Subsidies paid by jurisdiction")
    top.set_xlabel("")
    return _save(fig, path)


def plot_relocations(ds, run: int, path: Path) -> Path:
    da = _pick_run(ds["firm_relocations"], run).sum("time").transpose("zone_from", "zone_to")
    counts = np.asarray(da.values)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    image = ax.imshow(counts, cmap="viridis")
    src, dst = _labels(da["zone_from"]), _labels(da["zone_to"])
    ax.set_xticks(range(len(dst)), dst)
    ax.set_yticks(range(len(src)), src)
    ax.set_xlabel("to zone")
    ax.set_ylabel("from zone")
    ax.set_title("Firm relocations, whole run")
    peak = counts.max() if counts.size else 0
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            value = counts[i, j]
            text = f"{value:.0f}" if float(value).is_integer() else f"{value:.3g}"
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="black" if peak and value > 0.6 * peak else "white")
    # The variable is a monthly flow; summed over time it is a plain count of moves.
    fig.colorbar(image, ax=ax, label="firms moved, sum over all months")
    return _save(fig, path)


_DRAWERS = (
    (PLOTS[0], ("firms",), plot_firms),
    (PLOTS[1], ("employment",), plot_employment),
    (PLOTS[2], ("wage", "rent"), plot_wage_rent),
    (PLOTS[3], ("budget", "subsidies_paid"), plot_jurisdictions),
    (PLOTS[4], ("firm_relocations",), plot_relocations),
)


def quicklook(path: str | os.PathLike[str], outdir: str | os.PathLike[str], run: int = 0):
    """Draw the quick-look plots of `path` into `outdir`.

    Returns (written paths, skipped plot names with the reason). A plot whose variables are
    missing from the file is skipped, not fatal, so older or partial files still get the rest.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written, skipped = [], []
    with open_output(path) as ds:
        nruns = ds.sizes.get("run", 1)
        if not 0 <= run < nruns:
            raise IndexError(f"run index {run} out of range: the file holds {nruns} run(s)")
        for name, needs, draw in _DRAWERS:
            absent = [v for v in needs if v not in ds.variables]
            if absent:
                skipped.append((name, "missing variable(s): " + ", ".join(absent)))
                continue
            written.append(draw(ds, run, outdir / name))
    return written, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m regionsim.quicklook",
        description="Draw quick-look PNG plots of a regionsim output file: firms, employment, "
        "wage and rent by zone; budget and subsidies by jurisdiction; a zone x zone heatmap "
        "of firm relocations.",
        epilog="Plots are derived artefacts: existing PNGs of the same names in DIR are "
        "overwritten without asking.",
    )
    parser.add_argument("file", help="output file written by `regionsim run` (.h5)")
    parser.add_argument("-o", "--outdir", metavar="DIR", default=None,
                        help="directory for the PNGs (created if needed; default: a 'plots' "
                        "directory beside FILE)")
    parser.add_argument("--run", type=int, default=0,
                        help="index along the run dimension to draw (default 0)")
    args = parser.parse_args(argv)

    src = Path(args.file)
    if not src.is_file():
        print(f"quicklook: no such file: {src}", file=sys.stderr)
        return 2
    outdir = Path(args.outdir) if args.outdir else src.parent / "plots"
    try:
        written, skipped = quicklook(src, outdir, run=args.run)
    except (OSError, ValueError, IndexError) as err:
        print(f"quicklook: cannot plot {src}: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    for name, reason in skipped:
        print(f"quicklook: skipped {name}: {reason}", file=sys.stderr)
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
