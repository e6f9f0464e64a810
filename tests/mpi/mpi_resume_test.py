"""A distributed experiment killed mid-way and resumed under mpirun gives the one-process file.

    /usr/bin/python3 tests/mpi/mpi_resume_test.py REGIONSIM RANKS [--checkpoints]

tests/mpi/experiment.toml (at scale 0.1 for 48 months, 4 paired replicates: 8 runs) runs once
without mpirun (2 threads). Then under `mpirun -n RANKS --oversubscribe` (1 thread per rank) with
checkpoints every 12 months: the rank simulating run 7 SIGKILLs itself right after that run's
checkpoint of month 36 (test hook), which ends the job and leaves rank 0's running file
(OUT.partial-PID, a snapshot marked complete = "false" after every finished run). The same
command with --resume under mpirun takes it as OUT.incomplete.h5 by itself (docs/scaling.md),
keeps its finished runs, shares the others over the ranks and must give the one-process file
(tests/mpi/compare_h5.py), with the incomplete file removed. Without --checkpoints the resumed
job does not read checkpoints: the unfinished runs start again from month 0.

With --checkpoints the resumed job reads them too: run 7 must continue from its checkpoint of
month 36, wherever rank 0 sends it, and no checkpoint may be left once the file is complete.

(The kill is the test hook's, not a SIGTERM to mpirun: Open MPI 4.1's mpirun takes 2-3 s to end
the ranks after a signal, in which a job of a second finishes, so a kill on a signal raced.)
"""
import glob
import os
import subprocess
import sys
import tempfile
import time

import h5py

BINARY = os.path.abspath(sys.argv[1])
RANKS = sys.argv[2]
CHECKPOINTS = sys.argv[3:] == ["--checkpoints"]
# The killed job always writes checkpoints (the kill comes right after one); the resumed job
# reads them only with --checkpoints, else its unfinished runs start again from month 0.
KILL_CHECKPOINT_ARGS = ["--checkpoint-every", "12"]
CHECKPOINT_ARGS = KILL_CHECKPOINT_ARGS if CHECKPOINTS else []
HERE = os.path.dirname(os.path.abspath(__file__))
EXPERIMENT = ["--experiment", os.path.join(HERE, "experiment.toml"), "--replicates", "4",
              "--steps", "48", "--set", "run.scale=0.1"]
MPIRUN = ["mpirun", "-n", RANKS, "--oversubscribe", BINARY]
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def months_done(path):
    """Months done per run in a snapshot, or None while it cannot be read (being replaced)."""
    try:
        with h5py.File(path, "r") as f:
            text = f.attrs["months_done"]
            if isinstance(text, bytes):
                text = text.decode()
            return [int(x) for x in text.split(",")]
    except (OSError, KeyError, ValueError):
        return None


def finished_runs(path):
    """Runs complete in a snapshot, or None while it cannot be read (being replaced)."""
    done = months_done(path)
    return None if done is None else sum(1 for d in done if d == 48)


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


def killed_by_hook(output):
    """The rank simulating run 7 (the last separation arm, forked from root 3)
    SIGKILLs itself right after that run's checkpoint of month 36 (the test hook
    REGIONSIM_TEST_KILL_AFTER_CHECKPOINT, docs/output.md), which ends the job. An arm's own
    checkpoint is used by --resume whatever happened to its root. Returns the file left (or
    None if no snapshot was taken yet)."""
    r = subprocess.run(MPIRUN[:3] + ["-x", "REGIONSIM_TEST_KILL_AFTER_CHECKPOINT"] + MPIRUN[3:] +
                       ["run"] + EXPERIMENT + KILL_CHECKPOINT_ARGS + ["-o", output, "--threads",
                                                                    "1"],
                       env=dict(ENV, REGIONSIM_TEST_KILL_AFTER_CHECKPOINT="36:7"),
                       capture_output=True, text=True, timeout=120)
    if r.returncode == 0:
        fail("the job with the kill hook completed")
    left = [p for p in glob.glob(output + ".partial-*") if not p.endswith(".tmp")]
    if len(left) > 1:
        fail("several partial files left: %s" % left)
    if left:
        wait_gone(int(left[0].rsplit("-", 1)[1]))
    return left[0] if left else None


def killed_run(output):
    """The killed distributed run: the file left."""
    return killed_by_hook(output)


def main():
    with tempfile.TemporaryDirectory(prefix="regionsim-mpi-resume.") as work:
        single = os.path.join(work, "single.h5")
        r = subprocess.run([BINARY, "run"] + EXPERIMENT + ["-o", single, "--threads", "2"],
                           env=ENV, capture_output=True, text=True)
        if r.returncode != 0:
            fail("the one-process run failed: " + r.stderr)
        for attempt in range(3):  # should the kill come after the last run, try again
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
            r = subprocess.run(MPIRUN + ["run"] + EXPERIMENT + CHECKPOINT_ARGS +
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
            continued = r.stderr.count("continues from its checkpoint of month")
            if CHECKPOINTS and "run 7 continues from its checkpoint of month 36" not in r.stderr:
                fail("run 7 did not continue from its checkpoint of month 36: " + r.stderr)
            left = glob.glob(output + "*.ckpt")
            if CHECKPOINTS and left:
                fail("checkpoints left after the output was complete: %s" % left)
            c = subprocess.run([sys.executable, os.path.join(HERE, "compare_h5.py"), single,
                                output], capture_output=True, text=True)
            print(c.stdout, end="")
            if c.returncode != 0:
                fail("the resumed file differs from the one-process file: " + c.stdout + c.stderr)
            print("PASS: %s ranks, killed with %d of 8 runs finished, resumed (%d runs from "
                  "checkpoints): the one-process file" % (RANKS, kept, continued))
            return
        fail("could not kill the distributed run between its first and last run in 3 attempts")


main()
