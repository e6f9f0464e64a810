#!/usr/bin/python3
"""Times the same talent-migration kernel (migration_kernel.hpp) written three ways, plus a
STREAM-style triad, on the same N in one run, and prints ns per agent-step and the ratios.

    /usr/bin/python3 bench/peers/run_peers.py [--n 1000000] [--months 10] [--repeat 3]
        [--binary build/release/bench/peer_kernels] [--csv bench/results/peers-HOST.csv]

Versions: an object-per-agent C++ loop (heap object per agent, virtual step(), std::mt19937,
the agent computes its own logit); a vectorised NumPy version (one uniform array per month, the
zone by comparing with the class's cumulative probabilities, bincount); regionsim's kernel
(structure of arrays, counter-based Philox, a probability table per class, TBB chunks with
per-thread counts) on 1 and 2 threads. Each figure is the best of --repeat runs. Targets (issue
11): the kernel >= 10x NumPy, >= 20x the object loop, <= 5 ns per agent-step.
"""
from __future__ import annotations

import argparse
import csv
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ZONES, CLASSES, CONGESTION = 5, 3, 0.8
ROOT = Path(__file__).resolve().parents[2]


def attract():
    z = np.arange(ZONES)[None, :]
    k = np.arange(CLASSES)[:, None]
    return 0.3 * z - 0.2 * k * (z % 2) + 0.1 * k


def numpy_kernel(n: int, months: int, seed: int = 12345) -> tuple[float, int]:
    rng = np.random.default_rng(seed)
    skill = (np.arange(n) % CLASSES).astype(np.int8)
    zone = (np.arange(n) % ZONES).astype(np.int8)
    counts = np.bincount(zone, minlength=ZONES)
    a = attract()
    t0 = time.perf_counter()
    for _ in range(months):
        share = (counts + 1.0) / (n + ZONES)
        e = np.exp(a - CONGESTION * np.log(share)[None, :])
        cdf = np.cumsum(e / e.sum(axis=1, keepdims=True), axis=1)
        cdf[:, -1] = 1.0
        u = rng.random(n)
        c = cdf[skill]                                  # (n, ZONES)
        zone = (u[:, None] >= c[:, :-1]).sum(axis=1).astype(np.int8)
        counts = np.bincount(zone, minlength=ZONES)
    seconds = time.perf_counter() - t0
    return seconds * 1e9 / (n * months), int(counts.sum())


def run_binary(binary: Path, *args) -> dict:
    out = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                         check=True).stdout.split()
    return {k: float(v) for k, v in (item.split("=") for item in out[1:])}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--months", type=int, default=10)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--binary", type=Path, default=ROOT / "build/release/bench/peer_kernels")
    p.add_argument("--csv", type=Path, default=None, help="append the figures to this CSV")
    args = p.parse_args()
    if not args.binary.is_file():
        print(f"run_peers.py: no {args.binary}; build it: cmake --build --preset release "
              "--target peer_kernels", file=sys.stderr)
        return 2
    n, m = args.n, args.months
    best = lambda f: min(f() for _ in range(args.repeat))  # noqa: E731
    rows = {
        "object-per-agent C++ (mt19937)": best(lambda: run_binary(args.binary, "object", n, m)
                                               ["ns_per_agent_step"]),
        "NumPy (vectorised)": best(lambda: numpy_kernel(n, m)[0]),
        "regionsim kernel, 1 thread": best(lambda: run_binary(args.binary, "kernel", n, m, 1)
                                           ["ns_per_agent_step"]),
        "regionsim kernel, 2 threads": best(lambda: run_binary(args.binary, "kernel", n, m, 2)
                                            ["ns_per_agent_step"]),
    }
    triad = max(run_binary(args.binary, "triad", 20_000_000)["GB_per_s"]
                for _ in range(args.repeat))
    kernel = rows["regionsim kernel, 2 threads"]
    print(f"N = {n:,} agents, {m} months, best of {args.repeat}; {platform.node()}, "
          f"{platform.processor() or platform.machine()}")
    print(f"{'version':34s} {'ns/agent-step':>14s} {'kernel (2 thr) is x faster':>28s}")
    for name, ns in rows.items():
        print(f"{name:34s} {ns:14.2f} {ns / kernel:28.1f}")
    print(f"STREAM-style triad: {triad:.1f} GB/s (kernel moves 2 bytes per agent-step: "
          f"{2 / kernel:.2f} GB/s)")
    print(f"targets: >= 10x NumPy: {rows['NumPy (vectorised)'] / kernel:.1f}x; >= 20x object "
          f"loop: {rows['object-per-agent C++ (mt19937)'] / kernel:.1f}x; <= 5 ns: {kernel:.2f}")
    if args.csv:
        new = not args.csv.exists()
        with args.csv.open("a", newline="") as f:
            w = csv.writer(f)
            if new:
                w.writerow(["date", "host", "n", "months", "version", "ns_per_agent_step",
                            "triad_GB_per_s", "command"])
            for name, ns in rows.items():
                w.writerow([time.strftime("%Y-%m-%d"), platform.node(), n, m, name, f"{ns:.3f}",
                            f"{triad:.2f}", " ".join(sys.argv)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
