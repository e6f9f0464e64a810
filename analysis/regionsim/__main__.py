"""Command line of the analysis package: ``python3 -m regionsim COMMAND …``.

    python3 -m regionsim report FILE.h5 -o report.html    self-contained HTML report
    python3 -m regionsim compare FILE.h5 VAR [--reduce sum] [--months last12]
                                                          paired differences as CSV on stdout
    python3 -m regionsim quicklook FILE.h5 -o DIR         quick-look PNGs of one run

Exit codes: 0 success, 2 bad input (missing file, unknown variable or scenario), 1 other errors.
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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["quicklook"]:  # every option belongs to regionsim.quicklook
        from .quicklook import main as quicklook_main

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

    sub.add_parser("quicklook", help="quick-look PNGs of one run (same as python3 -m "
                   "regionsim.quicklook; see its --help)")

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
        from . import compare, open as open_output
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


if __name__ == "__main__":
    sys.exit(main())
