#!/usr/bin/python3
"""Plots ns per agent-month against agents from a scaling CSV (bench/scaling.py), one line per
thread count, with issue 11's target (14 ns per agent-month, flat within +-15 %) shaded.

Usage: bench/plot_scaling.py [CSV] [-o PNG]
  defaults: bench/results/vm-scaling.csv, docs/img/performance-scaling.png
"""
import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_NS = 14.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", default=os.path.join(ROOT, "bench/results/vm-scaling.csv"))
    parser.add_argument("-o", "--output",
                        default=os.path.join(ROOT, "docs/img/performance-scaling.png"))
    args = parser.parse_args()
    try:
        with open(args.csv, newline="") as f:
            rows = list(csv.DictReader(f))
        # The driver appends: the latest row of each (threads, scale) is the current figure.
        latest = {}
        for row in rows:
            latest[(int(row["threads"]), float(row["scale"]))] = (
                int(row["agents"]), float(row["ns_per_agent_month"]))
        series = {}
        for (threads, _), point in latest.items():
            series.setdefault(threads, []).append(point)
    except (OSError, KeyError, ValueError) as err:
        print("plot_scaling.py: %s: not a scaling CSV of bench/scaling.py (%s)" % (args.csv, err),
              file=sys.stderr)
        return 2
    if not series:
        print("plot_scaling.py: %s: no rows" % args.csv, file=sys.stderr)
        return 2
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for threads, points in sorted(series.items()):
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                label="%d thread%s" % (threads, "" if threads == 1 else "s"))
    ax.axhspan(TARGET_NS * 0.85, TARGET_NS * 1.15, color="green", alpha=0.15,
               label="issue 11 target (14 ns, 2 threads)")
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("agents (talent + firms, last month)")
    ax.set_ylabel("ns per agent-month (wall minus start-up)")
    ax.set_title("Whole CLI run, %s" % os.path.basename(args.csv))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    fig.savefig(args.output, dpi=100)
    print("wrote", args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
