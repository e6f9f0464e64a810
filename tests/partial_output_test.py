#!/usr/bin/python3
"""Readable partial output (docs/output.md, "Partial files"): a run, and an experiment after its
first run finished, are SIGKILLed mid-run; the OUTPUT.partial-PID file left behind must open in
h5py and xarray (h5netcdf), say complete = "false" with the months written, and hold the flushed
months bit for bit as the uninterrupted run wrote them; the same command with --resume takes
that file by itself and gives the uninterrupted result. Then a reader opens the running file
again and again while the writer goes: every open must succeed.

The kills come at exact months from the checkpoint test hook (REGIONSIM_TEST_KILL_AFTER_CHECKPOINT,
docs/output.md): the process SIGKILLs itself right after its checkpoint of that month, before the
month's own snapshot, so with --flush-every 4 and a checkpoint at month 10 the file holds 8 months
(REGIONSIM_TEST_FLUSH_UNTHROTTLED=1 takes every snapshot, none skipped to save time).

Usage: partial_output_test.py REGIONSIM_BINARY   (run from the source root; a few seconds)
"""
import os
import subprocess
import sys
import tempfile
import time

import h5py
import xarray as xr

from kill_support import KILLED, Checks, run_killed_after_checkpoint

BINARY = os.path.abspath(sys.argv[1])
SCENARIO = os.path.abspath("scenarios/baseline.toml")
STEPS = 20
RUN = ["--steps", str(STEPS), "--set", "run.scale=0.02", "--threads", "1"]
NC_FILL_DOUBLE = 9.9692099683868690e+36
check = Checks()


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def series(path):
    """The bytes of every (run, time, ...) dataset of an HDF5 file, keyed by name, with the
    number of runs."""
    out = {}
    with h5py.File(path, "r") as f:
        runs = f["run"].shape[0]
        for name, obj in f.items():
            if (isinstance(obj, h5py.Dataset) and obj.ndim >= 2 and obj.shape[0] == runs
                    and name != "wall_seconds"
                    and "_Netcdf4Coordinates" in obj.attrs
                    and len(obj.attrs["_Netcdf4Coordinates"]) >= 2
                    and obj.attrs["_Netcdf4Coordinates"][1] == f["time"].attrs["_Netcdf4Dimid"]):
                out[name] = obj[()]
    return out, runs


def killed(output, kill_at, extra):
    """Runs into `output` until the hook kills it; returns the partial file's path."""
    code, pid, stderr = run_killed_after_checkpoint(
        BINARY, [*extra, "-o", output, "--checkpoint-every", kill_at.split(":")[0],
                 "--flush-every", "4"], kill_at, {"REGIONSIM_TEST_FLUSH_UNTHROTTLED": "1"})
    check(code == KILLED, "%s: exit %d, not killed: %s" % (output, code, stderr))
    check(not os.path.exists(output), "%s: a killed run left a finished output" % output)
    partial = "%s.partial-%d" % (output, pid)
    check(os.path.isfile(partial), "%s: no partial file %s" % (output, partial))
    return partial


def check_partial(name, partial, whole, months_done):
    """`partial` opens in h5py and xarray, is marked incomplete, and holds months_done[r] months
    of run r exactly as `whole` (the uninterrupted run) has them, the rest missing."""
    with h5py.File(partial, "r") as f:
        attrs = {k: text(v if not hasattr(v, "shape") or v.shape == () else v[0])
                 for k, v in f.attrs.items()}
    check(attrs.get("complete") == "false", "%s: complete = %r" % (name, attrs.get("complete")))
    check(attrs.get("months_done") == ",".join(map(str, months_done)),
          "%s: months_done = %r, expected %s" % (name, attrs.get("months_done"), months_done))
    check(attrs.get("months_written") == str(max(months_done)),
          "%s: months_written = %r" % (name, attrs.get("months_written")))
    with xr.open_dataset(whole, engine="h5netcdf") as full:
        last = str(full["time"].values[max(months_done) - 1])[:7]
    check(attrs.get("last_month") == last,
          "%s: last_month = %r, expected %s" % (name, attrs.get("last_month"), last))

    with xr.open_dataset(partial, engine="h5netcdf") as ds:
        check(ds.attrs.get("complete") == "false", "%s: xarray reads complete = %r"
              % (name, ds.attrs.get("complete")))
        check(ds.sizes["time"] == STEPS, "%s: xarray's time axis has %d months"
              % (name, ds.sizes["time"]))
        # Months not yet flushed read as netCDF's default fill value, "missing" to netCDF tools.
        output = ds["output"].load()
        for r, done in enumerate(months_done):
            check(bool((output.isel(run=r, time=slice(0, done)) < 1e30).all()),
                  "%s: run %d's flushed months read as missing in xarray" % (name, r))
            check(bool((output.isel(run=r, time=slice(done, None)) == NC_FILL_DOUBLE).all()),
                  "%s: run %d's months after %d are not missing in xarray" % (name, r, done))

    got, runs = series(partial)
    expected, _ = series(whole)
    check(got.keys() == expected.keys(), "%s: other time series than the whole run's" % name)
    for key, values in expected.items():
        for r, done in enumerate(months_done):
            part = got.get(key)
            same = (part is not None and part.shape[1] >= done
                    and part[r, :done].tobytes() == values[r, :done].tobytes())
            check(same, "%s: %s of run %d differs from the uninterrupted run's first %d months"
                  % (name, key, r, done))
    print("%s: %d time series, months %s flushed, bit for bit" % (name, len(expected),
                                                                 months_done))


def resume_killed(output, partial, whole, experiment):
    """The same command with --resume takes the killed process's snapshot by itself (no rename):
    it keeps run 0, continues run 1 and gives the uninterrupted experiment's series."""
    incomplete = output[:-len(".h5")] + ".incomplete.h5"
    r = subprocess.run([BINARY, "run", *experiment, "-o", output, "--resume"],
                       capture_output=True, text=True)
    check(r.returncode == 0, "--resume after SIGKILL failed: " + r.stderr)
    took = "--resume: took '%s', left by a process that no longer runs, as '%s'" % (partial,
                                                                                    incomplete)
    check(took in r.stderr, "expected %r in: %s" % (took, r.stderr))
    kept = "--resume: 1 of 2 runs kept from '%s'" % incomplete
    check(kept in r.stderr, "expected %r in: %s" % (kept, r.stderr))
    check(not os.path.exists(partial) and not os.path.exists(incomplete),
          "the killed process's snapshot was left after the resumed run completed")
    got, _ = series(output)
    expected, _ = series(whole)
    same = got.keys() == expected.keys() and all(
        got[k].tobytes() == v.tobytes() for k, v in expected.items())
    check(same, "the resumed experiment differs from the uninterrupted one")
    print("resumed from the killed process's snapshot: %d time series bit for bit"
          % len(expected))


def follow(work):
    """A reader opening the running file while the writer snapshots it every month."""
    output = os.path.join(work, "followed.h5")
    proc = subprocess.Popen([BINARY, "run", SCENARIO, "--steps", "60", "--set",
                             "run.scale=0.02", "--threads", "1", "--flush-every", "1", "-o",
                             output], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, REGIONSIM_TEST_FLUSH_UNTHROTTLED="1"))
    partial = "%s.partial-%d" % (output, proc.pid)
    reads, seen, errors = 0, [], []
    while proc.poll() is None:
        try:
            with h5py.File(partial, "r") as f:
                seen.append(int(f.attrs["months_written"][0]))
                f["firms"][()]
            if reads % 5 == 0:
                with xr.open_dataset(partial, engine="h5netcdf") as ds:
                    ds["output"].load()
            reads += 1
        except FileNotFoundError:
            time.sleep(0.002)  # before the first snapshot, or once the file was published
        except OSError as err:
            errors.append(str(err))
    _, stderr = proc.communicate()
    check(proc.returncode == 0, "followed run failed: %s" % stderr)
    check(not errors, "a reader failed to open the running file: %s" % errors[:3])
    check(reads > 0, "the reader never saw the running file")
    check(seen == sorted(seen), "months_written went backwards: %s" % seen)
    print("following: %d reads of the running file, months %s..%s, no failure"
          % (reads, seen[0] if seen else "-", seen[-1] if seen else "-"))


def main():
    with tempfile.TemporaryDirectory() as work:
        whole = os.path.join(work, "whole.h5")
        r = subprocess.run([BINARY, "run", SCENARIO, *RUN, "-o", whole], capture_output=True,
                           text=True)
        check(r.returncode == 0, "uninterrupted run failed: " + r.stderr)
        partial = killed(os.path.join(work, "run.h5"), "10", [SCENARIO, *RUN])
        check_partial("run killed after month 10", partial, whole, [8])

        # Two replicates one after the other (one thread): run 0 finishes, then run 1 is killed
        # after its checkpoint of month 8 (snapshot of month 4).
        experiment = [SCENARIO, *RUN, "--replicates", "2"]
        whole = os.path.join(work, "exp-whole.h5")
        r = subprocess.run([BINARY, "run", *experiment, "-o", whole], capture_output=True,
                           text=True)
        check(r.returncode == 0, "uninterrupted experiment failed: " + r.stderr)
        partial = killed(os.path.join(work, "exp.h5"), "8:1", experiment)
        check_partial("experiment killed in run 1", partial, whole, [STEPS, 4])
        resume_killed(os.path.join(work, "exp.h5"), partial, whole, experiment)

        follow(work)
    return check.exit_code("partial output: all checks passed")


if __name__ == "__main__":
    sys.exit(main())
