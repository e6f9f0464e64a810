"""Command line of the analysis package: ``python3 -m regionsim COMMAND …``.

    python3 -m regionsim report FILE.h5 -o report.html    self-contained HTML report (and its
                                                          explorer, report-explorer.html)
    python3 -m regionsim explore FILE.h5 -o explorer.html interactive page (offline, plotly)
    python3 -m regionsim compare FILE.h5 VAR [--reduce sum] [--months last12]
                                                          paired differences as CSV on stdout
    python3 -m regionsim export FILE.h5 --tidy out.csv    one row per run x month (CSV)
    python3 -m regionsim quicklook FILE.h5 -o DIR         quick-look PNGs of one run
    python3 -m regionsim plots FILE.h5 -o DIR             ensemble PNGs of an experiment
    python3 -m regionsim robustness MORRIS.h5 --design D.json [-o R.json]
                                                          policy effects over a Morris design

FILE may be several files or a quoted glob (``'out/*.h5'``) for report, explore, compare and
export: they are combined along run as ``regionsim.open([...])`` does.
``python3 -m regionsim.quicklook FILE.h5 -o DIR`` is the same as the quicklook command.
Exit codes: 0 success (also when a reader such as ``| head`` closes the pipe early), 2 bad
input (missing file, unknown variable or scenario, unreadable format version), 1 other errors
(quicklook: 1 when a plot was skipped for missing variables).

The entry points here, and only these, select matplotlib's Agg backend: the command line only
writes files and never needs a display, while importing the library leaves the backend of an
interactive session alone.
"""

from __future__ import annotations

import argparse
import glob
import os
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
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader (``| head``) closed the pipe: stop quietly, as Unix tools do. Point stdout
        # at /dev/null so that the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("regionsim: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 -- one line, not a traceback (REGIONSIM_TRACEBACK=1)
        if os.environ.get("REGIONSIM_TRACEBACK"):
            raise
        print(f"regionsim: error: {_one_line(err)} (REGIONSIM_TRACEBACK=1 shows where)",
              file=sys.stderr)
        return 1


def _one_line(err: BaseException) -> str:
    text = str(err.args[0]) if len(err.args) == 1 else str(err)
    text = " ".join(text.split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _sources(files: list[str]) -> list[str] | None:
    """The input files named on the command line (globs expanded); None if one is missing."""
    out = []
    for name in files:
        found = sorted(glob.glob(name)) if any(c in name for c in "*?[") else [name]
        if not found or not all(Path(f).is_file() for f in found):
            return None
        out += found
    return out


def _main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _files_only()
    if argv[:1] == ["quicklook"]:  # every option belongs to the quicklook command
        return quicklook_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python3 -m regionsim",
                                     description="Analyse regionsim output files.")
    sub = parser.add_subparsers(dest="command", required=True)

    def design_options(p, months_default, months_help):
        p.add_argument("--by", default=None,
                       help="design coordinate the arms differ in (default: scenario)")
        p.add_argument("--baseline", default=None,
                       help="baseline value of --by (default: scenario 'baseline', else the "
                       "first)")
        if months_default is not None:
            p.add_argument("--months", default=months_default, help=months_help)
        p.add_argument("--level", type=float, default=0.9)
        p.add_argument("--n-boot", type=int, default=2000)
        p.add_argument("--seed", type=int, default=0)

    rep = sub.add_parser("report", help="write a self-contained HTML report",
                         description="Write a self-contained HTML report (plots embedded) of "
                         "a regionsim output file: key findings, paired differences to the "
                         "baseline with bootstrap intervals, Wilcoxon p-values (raw and "
                         "adjusted) and verdicts, over the post-reform period and the last 12 "
                         "months; and the interactive explorer beside it, linked.")
    rep.add_argument("file", nargs="+")
    rep.add_argument("-o", "--output", default=None,
                     help="HTML file to write (default: FILE with .html; replaced if it exists)")
    design_options(rep, "post-reform,last12",
                   "windows of the tables: post-reform,last12 (default), final, lastN, yearN, "
                   "YYYY-MM, comma-separated")
    rep.add_argument("--adjust", choices=("holm", "bh"), default="holm",
                     help="multiple-comparison adjustment of the p-values (default holm)")
    rep.add_argument("--explorer", default=None,
                     help="explorer page to write and link (default: <report>-explorer.html)")
    rep.add_argument("--no-explorer", action="store_true", help="do not write the explorer")
    rep.add_argument("--robustness", default=None, metavar="ROBUSTNESS.json",
                     help="add the section 'How robust is this conclusion' from this file "
                     "(written by the robustness command)")

    rob = sub.add_parser("robustness", help="how each arm's effect depends on the judgement "
                         "parameters (Morris design), Markdown on stdout",
                         description="From an experiment written by regionsim.sensitivity."
                         "write_experiment over a Morris design: per arm and headline response "
                         "(subsidies within the region, output; a year after the reform month) "
                         "the mean paired effect, its range over the design points, the share "
                         "of points with the same sign, and the parameters ranked by mu*.")
    rob.add_argument("file")
    rob.add_argument("--design", required=True, metavar="DESIGN.json",
                     help="the design saved beside the experiment (<stem>-design.json)")
    rob.add_argument("--arms", default=None,
                     help="comma-separated arms (default: every arm in the file but the "
                     "baseline)")
    rob.add_argument("--baseline", default="baseline")
    rob.add_argument("--start", type=int, default=24,
                     help="first month of the responses' window (default 24, 2023-01)")
    rob.add_argument("-o", "--output", default=None, metavar="ROBUSTNESS.json",
                     help="also save the result as JSON (for report --robustness)")

    exp = sub.add_parser("explore", help="write the interactive explorer (one offline HTML page)",
                         description="One self-contained HTML page (plotly.js inlined, works "
                         "offline): pick variable, zone or jurisdiction, arms and window; see "
                         "ensemble bands and paired differences with intervals and verdicts.")
    exp.add_argument("file", nargs="+")
    exp.add_argument("-o", "--output", default="explorer.html")
    exp.add_argument("--vars", default=None, help="comma-separated variables (default: all)")
    design_options(exp, None, None)

    cmp_ = sub.add_parser("compare", help="paired differences to the baseline, CSV on stdout")
    cmp_.add_argument("file", nargs="+")
    cmp_.add_argument("var", help="variable name, or a headline metric such as "
                      "'total_output', 'theil_output', 'zero_sum_relocations'")
    cmp_.add_argument("--reduce", default=None, help="sum or mean over the other dims")
    design_options(cmp_, "final", "comma-separated windows (final, post-reform, last12, …)")
    cmp_.add_argument("--table", choices=("paired", "levels", "ensemble"), default="paired")

    ex = sub.add_parser("export", help="tidy table: one row per run x month, CSV",
                        description="Write a tidy CSV: design columns (run, scenario, sweep "
                        "keys, replicate, seed, arm), time, the kept dimensions, one column per "
                        "variable (reduced over the other dimensions: counts and money summed, "
                        "prices and indices averaged). Written block by block: memory does not "
                        "grow with the number of runs.")
    ex.add_argument("file", nargs="+")
    ex.add_argument("--tidy", required=True, metavar="OUT.csv", help="CSV to write ('-': stdout)")
    ex.add_argument("--vars", default=None, help="comma-separated variables (default: all)")
    ex.add_argument("--dims", default="", help="dimensions to keep, e.g. zone (default: none)")
    ex.add_argument("--reduce", choices=("sum", "mean"), default=None,
                    help="reduce every variable this way (default: per variable)")

    sub.add_parser("quicklook", help="quick-look PNGs of one run (python3 -m regionsim "
                   "quicklook --help for its options)")

    plo = sub.add_parser("plots", help="ensemble PNGs of an experiment (PNGs are replaced)",
                         description="Time series with ensemble bands by scenario for the "
                         "headline variables, per-zone small multiples of output and employment, "
                         "and the firm relocation flow matrix.")
    plo.add_argument("file")
    plo.add_argument("-o", "--output", default="plots", help="directory (created if needed)")

    args = parser.parse_args(argv)

    files = [args.file] if isinstance(args.file, str) else args.file
    sources = _sources(files)
    if sources is None:
        missing = next(f for f in files if _sources([f]) is None)
        print(f"regionsim {args.command}: no such file: {missing}", file=sys.stderr)
        return 2
    src = sources[0] if len(sources) == 1 else sources
    try:
        if args.command == "plots":
            return _plots(Path(src), Path(args.output))
        from .dataset import open as open_output

        with open_output(src) as ds:
            return _run(args, ds, Path(sources[0]))
    except (KeyError, ValueError) as err:
        print(f"regionsim {args.command}: {err.args[0] if err.args else err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # main() ends quietly
    except (OSError, IndexError, TypeError) as err:
        # A truncated, foreign or unfinished file: HDF5 and netCDF raise OSError with a reason.
        print(f"regionsim {args.command}: cannot read {src}: {_one_line(err)} (expected a "
              "complete results file written by `regionsim run`)", file=sys.stderr)
        return 2


def _run(args, ds, first: Path) -> int:
    if args.command == "report":
        from .report import write_report

        out = Path(args.output) if args.output else first.with_suffix(".html")
        explorer = None if args.no_explorer else (args.explorer or True)
        path = write_report(ds, out, explorer=explorer, months=_months(args.months),
                            by=args.by, baseline=_baseline(args.baseline), level=args.level,
                            n_boot=args.n_boot, seed=args.seed, adjust=args.adjust,
                            robustness=args.robustness)
        print(path)
        if explorer:
            print(out.with_name(f"{out.stem}-explorer.html") if explorer is True else explorer)
        return 0
    if args.command == "robustness":
        return _robustness(args, ds)
    if args.command == "explore":
        from .explore import write_explorer

        names = args.vars.split(",") if args.vars else None
        print(write_explorer(ds, args.output, variables=names, by=args.by,
                             baseline=_baseline(args.baseline), level=args.level,
                             n_boot=args.n_boot, seed=args.seed))
        return 0
    if args.command == "export":
        from .tidy import write_csv

        dims = [d for d in args.dims.split(",") if d]
        names = args.vars.split(",") if args.vars else None
        rows = write_csv(ds, args.tidy, variables=names, reduce=args.reduce, dims=dims)
        if args.tidy != "-":
            print(f"{args.tidy}: {rows} rows", file=sys.stderr)
        return 0
    from .compare import compare
    from .metrics import headline

    var = args.var
    derived = {m.name: m for m in headline(ds)}
    if var not in ds.variables and var in derived:
        var = derived[var]
    by = args.by or "scenario"
    baseline = _baseline(args.baseline)
    if baseline is None:
        baseline = "baseline" if by == "scenario" else None
    result = compare(ds, var, by=by, baseline=baseline, months=_months(args.months),
                     reduce=args.reduce, level=args.level, n_boot=args.n_boot, seed=args.seed)
    getattr(result, args.table).to_csv(sys.stdout, index=False)
    sys.stdout.flush()
    return 0


def _robustness(args, ds) -> int:
    from . import robustness as rb
    from . import sensitivity as sa

    try:
        design = sa.Design.load(args.design)
    except (OSError, ValueError, KeyError) as err:
        raise ValueError(f"{args.design}: not a design file ({_one_line(err)})") from None
    if args.arms:
        arms = args.arms.split(",")
    else:
        names = [str(s.decode() if isinstance(s, bytes) else s) for s in ds["scenario"].values]
        arms = list(dict.fromkeys(n.split("@")[0] for n in names if "@" in n))
        arms = [a for a in arms if a != args.baseline]
    result = rb.robustness(ds, design, arms, baseline=args.baseline,
                           responses=rb.headline_responses(args.start))
    print(rb.markdown(result), end="")
    if args.output:
        print(rb.save(result, args.output), file=sys.stderr)
    return 0


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
    except (OSError, ValueError, IndexError, KeyError, TypeError) as err:
        print(f"quicklook: cannot plot {src}: {_one_line(err)}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    for name, reason in skipped:
        print(f"quicklook: skipped {name}: {reason}", file=sys.stderr)
    return 1 if skipped else 0
