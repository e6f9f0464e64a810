"""A distributed experiment killed mid-way and resumed under mpirun gives the one-process file.

    /usr/bin/python3 tests/mpi/mpi_resume_test.py REGIONSIM RANKS

tests/mpi/experiment.toml (at scale 0.1 for 48 months, 4 paired replicates: 8 runs) runs once
without mpirun (2 threads). Then under `mpirun -n RANKS --oversubscribe` (1 thread per rank): as
soon as rank 0's running file (OUT.partial-PID, a snapshot marked complete = "false" after every
finished run) holds a finished run, mpirun gets SIGTERM, which ends every rank at once and leaves
that file. The same command with --resume under mpirun takes it as OUT.incomplete.h5 by itself
(docs/scaling.md), keeps its finished runs, shares the others over the ranks and must give the
one-process file (tests/mpi/compare_h5.py), with the incomplete file removed.
"""
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py

BINARY = os.path.abspath(sys.argv[1])
RANKS = sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
EXPERIMENT = ["--experiment", os.path.join(HERE, "experiment.toml"), "--replicates", "4",
              "--steps", "48", "--set", "run.scale=0.1"]
MPIRUN = ["mpirun", "-n", RANKS, "--oversubscribe", BINARY]
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def finished_runs(path):
    """Runs complete in a snapshot, or None while it cannot be read (being replaced)."""
    try:
        with h5py.File(path, "r") as f:
            text = f.attrs["months_done"]
            if isinstance(text, bytes):
                text = text.decode()
            done = [int(x) for x in text.split(",")]
            return sum(1 for d in done if d == 48)
    except (OSError, KeyError, ValueError):
        return None


def wait_gone(pid):
    """Waits (10 s at most) until rank 0's process is gone: mpirun can exit a moment before its
    ranks, and --resume takes only a file whose process no longer runs."""
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    fail("rank 0 (pid %d) still runs 10 s after mpirun ended" % pid)


def killed_run(output):
    """Starts the distributed run, SIGTERMs mpirun once a run is finished; the file left."""
    proc = subprocess.Popen(MPIRUN + ["run"] + EXPERIMENT + ["-o", output, "--threads", "1"],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while proc.poll() is None and time.time() < deadline:
        for partial in glob.glob(output + ".partial-*"):
            if not partial.endswith(".tmp") and (finished_runs(partial) or 0) >= 1:
                proc.send_signal(signal.SIGTERM)
                proc.communicate(timeout=60)
                left = [p for p in glob.glob(output + ".partial-*") if not p.endswith(".tmp")]
                if len(left) != 1:
                    return None
                wait_gone(int(left[0].rsplit("-", 1)[1]))
                return left[0]
        time.sleep(0.01)
    proc.kill()
    proc.communicate()
    return None


def main():
    with tempfile.TemporaryDirectory(prefix="regionsim-mpi-resume.") as work:
        single = os.path.join(work, "single.h5")
        r = subprocess.run([BINARY, "run"] + EXPERIMENT + ["-o", single, "--threads", "2"],
                           env=ENV, capture_output=True, text=True)
        if r.returncode != 0:
            fail("the one-process run failed: " + r.stderr)
        for attempt in range(3):  # the kill races with the runs: try again if it came too late
            output = os.path.join(work, "mpi-%d.h5" % attempt)
            partial = killed_run(output)
            if os.path.exists(output):
                print("attempt %d: finished before the kill" % attempt)
                continue
            if partial is None:
                fail("the killed run left no single OUT.partial-PID file")
            kept = finished_runs(partial)
            if kept is None or not 1 <= kept < 8:
                print("attempt %d: %s runs finished in the file left" % (attempt, kept))
                continue
            incomplete = os.path.join(work, "mpi-%d.incomplete.h5" % attempt)
            # No rename: --resume takes the snapshot the killed job left by itself.
            r = subprocess.run(MPIRUN + ["run"] + EXPERIMENT +
                               ["-o", output, "--threads", "1", "--resume", "--clean-partial"],
                               env=ENV, capture_output=True, text=True)
            if r.returncode != 0:
                fail("the resumed distributed run failed: " + r.stderr)
            took = "--resume: took '%s', left by a process that no longer runs, as '%s'" % (
                partial, incomplete)
            if took not in r.stderr:
                fail("expected '%s' in: %s" % (took, r.stderr))
            expected = "--resume: %d of 8 runs kept from '%s'" % (kept, incomplete)
            if expected not in r.stderr:
                fail("expected '%s' in: %s" % (expected, r.stderr))
            if os.path.exists(incomplete):
                fail("the incomplete file was not removed once the output was complete")
            c = subprocess.run([sys.executable, os.path.join(HERE, "compare_h5.py"), single,
                                output], capture_output=True, text=True)
            print(c.stdout, end="")
            if c.returncode != 0:
                fail("the resumed file differs from the one-process file: " + c.stdout + c.stderr)
            print("PASS: %s ranks, killed with %d of 8 runs finished, resumed: the one-process "
                  "file" % (RANKS, kept))
            return
        fail("could not kill the distributed run between its first and last run in 3 attempts")


main()
