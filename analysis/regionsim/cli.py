"""Command line of the analysis package: ``python3 -m regionsim COMMAND …``.

    python3 -m regionsim report FILE.h5 -o report.html    self-contained HTML report
    python3 -m regionsim compare FILE.h5 VAR [--reduce sum] [--months last12]
                                                          paired differences as CSV on stdout
    python3 -m regionsim quicklook FILE.h5 -o DIR         quick-look PNGs of one run
    python3 -m regionsim plots FILE.h5 -o DIR             ensemble PNGs of an experiment

``python3 -m regionsim.quicklook FILE.h5 -o DIR`` is the same as the quicklook command.
Exit codes: 0 success, 2 bad input (missing file, unknown variable or scenario), 1 other errors
(quicklook: 1 when a plot was skipped for missing variables).

The entry points here, and only these, select matplotlib's Agg backend: the command line only
writes files and never needs a display, while importing the library leaves the backend of an
interactive session alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _months(text: str):
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out = [int(p) if p.lstrip("-").isdigit() else p for p in parts]
    return out[0] if len(out) == 1 else out


def _baseline(text: str | None):
    if text is None:
        return None
    try:
        return float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return text


def _files_only() -> None:
    import matplotlib

    matplotlib.use("Agg")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _files_only()
    if argv[:1] == ["quicklook"]:  # every option belongs to the quicklook command
        return quicklook_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python3 -m regionsim",
                                     description="Analyse regionsim output files.")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="write a self-contained HTML report",
                         description="Write a self-contained HTML report (plots embedded) of "
                         "a regionsim output file: headline metrics, final-year paired "
                         "differences to the baseline with bootstrap intervals and Wilcoxon "
                         "p-values.")
    rep.add_argument("file")
    rep.add_argument("-o", "--output", default=None,
                     help="HTML file to write (default: FILE with .html; replaced if it exists)")
    rep.add_argument("--by", default=None,
                     help="design coordinate the arms differ in (default: scenario)")
    rep.add_argument("--baseline", default=None,
                     help="baseline value of --by (default: scenario 'baseline', else the first)")
    rep.add_argument("--months", default="last12",
                     help="window of the tables: last12 (default), final, yearN, YYYY-MM")
    rep.add_argument("--level", type=float, default=0.9)
    rep.add_argument("--n-boot", type=int, default=2000)
    rep.add_argument("--seed", type=int, default=0)

    cmp_ = sub.add_parser("compare", help="paired differences to the baseline, CSV on stdout")
    cmp_.add_argument("file")
    cmp_.add_argument("var", help="variable name, or 'theil_output' / 'zero_sum_relocations'")
    cmp_.add_argument("--reduce", default=None, help="sum or mean over the other dims")
    cmp_.add_argument("--by", default="scenario")
    cmp_.add_argument("--baseline", default=None)
    cmp_.add_argument("--months", default="final", help="comma-separated windows")
    cmp_.add_argument("--level", type=float, default=0.9)
    cmp_.add_argument("--n-boot", type=int, default=2000)
    cmp_.add_argument("--seed", type=int, default=0)
    cmp_.add_argument("--table", choices=("paired", "levels", "ensemble"), default="paired")

    sub.add_parser("quicklook", help="quick-look PNGs of one run (python3 -m regionsim "
                   "quicklook --help for its options)")

    plo = sub.add_parser("plots", help="ensemble PNGs of an experiment (PNGs are replaced)",
                         description="Time series with ensemble bands by scenario for the "
                         "headline variables, per-zone small multiples of output and employment, "
                         "and the firm relocation flow matrix.")
    plo.add_argument("file")
    plo.add_argument("-o", "--output", default="plots", help="directory (created if needed)")

    args = parser.parse_args(argv)

    src = Path(args.file)
    if not src.is_file():
        print(f"regionsim {args.command}: no such file: {src}", file=sys.stderr)
        return 2
    try:
        if args.command == "report":
            from .report import write_report

            out = Path(args.output) if args.output else src.with_suffix(".html")
            path = write_report(src, out, months=_months(args.months), by=args.by,
                                baseline=_baseline(args.baseline), level=args.level,
                                n_boot=args.n_boot, seed=args.seed)
            print(path)
            return 0
        if args.command == "plots":
            return _plots(src, Path(args.output))
        from .compare import compare
        from .dataset import open as open_output
        from .metrics import headline

        with open_output(src) as ds:
            var = args.var
            derived = {m.name: m for m in headline(ds)}
            if var not in ds.variables and var in derived:
                var = derived[var]
            baseline = _baseline(args.baseline)
            if baseline is None:
                baseline = "baseline" if args.by == "scenario" else None
            result = compare(ds, var, by=args.by, baseline=baseline,
                             months=_months(args.months), reduce=args.reduce,
                             level=args.level, n_boot=args.n_boot, seed=args.seed)
            getattr(result, args.table).to_csv(sys.stdout, index=False)
        return 0
    except (KeyError, ValueError) as err:
        print(f"regionsim {args.command}: {err}", file=sys.stderr)
        return 2


def _plots(src: Path, out: Path) -> int:
    from .dataset import open as open_output
    from .plots import plot_flows, plot_timeseries, plot_zones

    out.mkdir(parents=True, exist_ok=True)
    with open_output(src) as ds:
        written = []
        for var, reduce in (("output", "sum"), ("firms", "sum"), ("talent_employed", "sum"),
                            ("subsidies_paid", "sum"), ("zero_sum_relocations", "sum"),
                            ("theil_output", "sum"), ("wage", "mean")):
            if var in ds.variables:
                written.append(plot_timeseries(ds, var, reduce=reduce,
                                               path=out / f"{var}_timeseries.png"))
        for var in ("output", "talent_employed"):
            written.append(plot_zones(ds, var, path=out / f"{var}_by_zone.png"))
        written.append(plot_flows(ds, "firm_relocations", path=out / "firm_relocations_matrix.png"))
    for path in written:
        print(path)
    return 0


def quicklook_main(argv: list[str] | None = None) -> int:
    """``python3 -m regionsim.quicklook FILE -o DIR`` (and ``python3 -m regionsim quicklook``)."""
    _files_only()
    parser = argparse.ArgumentParser(
        prog="python3 -m regionsim.quicklook",
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
    from .plots import quicklook

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
