#!/usr/bin/python3
"""Scaling driver: whole CLI runs of the baseline over scales and thread counts.

For each scale and thread count it runs `regionsim run scenarios/baseline.toml` twice, for one
month and for STEPS months, in fresh processes, and appends one CSV row per pair to
bench/results/<host>-scaling.csv:

  wall_s                 wall time of the STEPS-month run (parse, initialise, simulate, write)
  startup_s              start-up (parse, allocate, initialise, open the file), estimated from the
                         pair as (STEPS * wall_1 - wall_STEPS) / (STEPS - 1): what a run costs
                         beyond its months
  startup_share          startup_s / wall_s
  ns_per_agent_month     (wall_s - startup_s) / (agents * STEPS)
  peak_rss_mb            peak resident memory of the STEPS-month run (getrusage of the child)
  bytes_per_agent        peak RSS / agents at the end
  agents                 talent (employed + seeking) + firms at the last month

Usage: bench/scaling.py [--build build/release] [--scales 0.16 1.6 16] [--threads 1 2]
                        [--steps 60]
The default scales give about 10^5, 10^6 and 10^7 talent agents (scale 1 is the real region,
about 630,000 talent and 124,000 firms).
"""
import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ["machine", "cpus", "date", "scale", "threads", "months", "agents", "talent", "firms",
          "wall_s", "startup_s", "startup_share", "ns_per_agent_month", "agent_months_per_s",
          "peak_rss_mb", "bytes_per_agent"]


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip().replace(",", " ")
    return platform.processor() or "unknown"


def timed_run(binary, scale, threads, steps, out):
    """Runs one CLI run in a fresh process; returns (wall seconds, peak RSS in bytes)."""
    cmd = [binary, "run", os.path.join(ROOT, "scenarios/baseline.toml"), "-o", out, "--overwrite",
           "--steps", str(steps), "--threads", str(threads), "--set", f"run.scale={scale}"]
    start = time.perf_counter()
    pid = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(pid.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"scaling.py: {' '.join(cmd)} failed:\n{pid.stderr.read().decode()}")
    return wall, usage.ru_maxrss * 1024


def agents_in(out):
    with h5py.File(out, "r") as f:
        talent = int(f["talent_employed"][0, -1].sum() + f["talent_seeking"][0, -1].sum())
        firms = int(f["firms"][0, -1].sum())
    return talent, firms


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build/release"))
    ap.add_argument("--scales", nargs="+", type=float, default=[0.16, 1.6, 16])
    ap.add_argument("--threads", nargs="+", type=int, default=[1, os.cpu_count() or 1])
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--csv", default=os.path.join(
        ROOT, "bench/results", f"{socket.gethostname()}-scaling.csv"))
    args = ap.parse_args()
    if args.steps < 2:
        ap.error("--steps must be at least 2 (start-up is estimated from a 1-month run)")
    binary = os.path.join(args.build, "regionsim")
    if not os.access(binary, os.X_OK):
        sys.exit(f"scaling.py: {binary} not built (cmake --preset release && "
                 "cmake --build --preset release)")
    os.makedirs(os.path.dirname(args.csv), exist_ok=True)
    new = not os.path.exists(args.csv)
    machine = cpu_model()
    with open(args.csv, "a") as csv, tempfile.TemporaryDirectory() as tmp:
        if new:
            csv.write(",".join(FIELDS) + "\n")
        print(",".join(FIELDS))
        out = os.path.join(tmp, "run.h5")
        for scale in args.scales:
            for threads in args.threads:
                wall_1, _ = timed_run(binary, scale, threads, 1, out)
                wall, rss = timed_run(binary, scale, threads, args.steps, out)
                talent, firms = agents_in(out)
                agents = talent + firms
                startup = max(0.0, (args.steps * wall_1 - wall) / (args.steps - 1))
                row = {"machine": machine, "cpus": os.cpu_count(), "date": date.today().isoformat(),
                       "scale": scale, "threads": threads, "months": args.steps, "agents": agents,
                       "talent": talent, "firms": firms, "wall_s": f"{wall:.3f}",
                       "startup_s": f"{startup:.3f}", "startup_share": f"{startup / wall:.3f}",
                       "ns_per_agent_month": f"{(wall - startup) * 1e9 / (agents * args.steps):.1f}",
                       "agent_months_per_s": f"{agents * args.steps / wall:.0f}",
                       "peak_rss_mb": f"{rss / 2**20:.1f}", "bytes_per_agent": f"{rss / agents:.0f}"}
                line = ",".join(str(row[k]) for k in FIELDS)
                csv.write(line + "\n")
                csv.flush()
                print(line, flush=True)


if __name__ == "__main__":
    main()
