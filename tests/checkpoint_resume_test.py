#!/usr/bin/python3
"""Kill and resume (docs/output.md, "Checkpoints"): a run with --checkpoint-every is killed with
SIGKILL after its checkpoint of month k appears, for several k, resumed from its latest
checkpoint with `regionsim resume`, and every dataset of the resumed file is compared byte for
byte with the uninterrupted run's. Then damaged and foreign checkpoints are refused with exit 2
and their exact one-line messages.

Usage: checkpoint_resume_test.py REGIONSIM_BINARY   (run from the source root; a few seconds)
"""
import glob
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

import h5py

from kill_support import KILLED, Checks, run_killed_after_checkpoint

BINARY = os.path.abspath(sys.argv[1])
SCENARIO = os.path.abspath("scenarios/separation.toml")
# Past month 24, when separation's committee and packages act: their state is checkpointed too.
RUN = ["--steps", "30", "--set", "run.scale=0.02", "--threads", "2"]
EVERY = 4
# Root attributes and the dataset that legitimately differ (docs/output.md): wall time and
# the command that wrote the file.
PROVENANCE_ATTRS = {"started_at", "ended_at", "wall_seconds", "command_line", "threads"}
WALL_TIME_DATASETS = {"wall_seconds"}
check = Checks()


def regionsim(*args, **kwargs):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, **kwargs)


def datasets(path):
    """Every dataset's bytes, dtype and shape, and the root attributes, of an HDF5 file."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name not in WALL_TIME_DATASETS:
                data = obj[()]
                out[name] = (str(obj.dtype), obj.shape,
                             data.tobytes() if hasattr(data, "tobytes") else repr(data))
        f.visititems(visit)
        attrs = {k: repr(v) for k, v in f.attrs.items() if k not in PROVENANCE_ATTRS}
    return out, attrs


def kill_after(work, name, month):
    """Starts a checkpointed run into work/name that is SIGKILLed right after its checkpoint of
    `month` is written (month None: by this script, after a moment), and returns the latest
    checkpoint left. The exact months come from a test-only hook (docs/output.md): polling for
    the file from here would race with a run that takes a few milliseconds a month."""
    output = os.path.join(work, name)
    args = [SCENARIO, *RUN, "-o", output, "--checkpoint-every", str(EVERY), "--checkpoint-keep",
            "2"]
    if month is not None:
        code, _, _ = run_killed_after_checkpoint(BINARY, args, str(month))
    else:
        # Wherever the run is, mid-month or mid-checkpoint, once the first checkpoint exists.
        proc = subprocess.Popen([BINARY, "run", *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        while not glob.glob(output + ".month-*.ckpt") and proc.poll() is None:
            time.sleep(0.005)
        time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
    if month is None and code == 0:
        return None  # finished before the kill: nothing to resume
    check(code == KILLED, "%s: exit %d, not killed" % (name, code))
    check(not os.path.exists(output), "%s: a killed run left a finished output" % name)
    left = sorted(glob.glob(output + ".month-*.ckpt"))
    # --checkpoint-keep 2: a new checkpoint is written whole before the oldest is removed, so a
    # kill at a random moment (month None) can fall between the two and leave 3.
    most = 2 if month is not None else 3
    check(1 <= len(left) <= most, "%s: %d checkpoints kept, expected 1 to %d"
          % (name, len(left), most))
    return left[-1] if left else None


def main():
    with tempfile.TemporaryDirectory() as work:
        full = os.path.join(work, "full.h5")
        r = regionsim("run", SCENARIO, *RUN, "-o", full)
        check(r.returncode == 0, "uninterrupted run failed: " + r.stderr)
        expected = datasets(full)

        trials = 0
        for month in (4, 12, 24, 28, None):
            name = "killed-%s.h5" % month
            latest = kill_after(work, name, month)
            if latest is None:
                continue
            r = regionsim("resume", latest)
            check(r.returncode == 0, "resume %s failed: %s" % (latest, r.stderr))
            output = os.path.join(work, name)
            got = datasets(output)
            check(got[0].keys() == expected[0].keys(), "%s: other datasets" % name)
            for key in expected[0]:
                check(got[0].get(key) == expected[0][key],
                      "%s: dataset %s differs from the uninterrupted run" % (name, key))
            check(got[1] == expected[1], "%s: root attributes differ" % name)
            check(not glob.glob(output + ".month-*.ckpt"),
                  "%s: checkpoints left after the output completed" % name)
            trials += 1
        print("kill-and-resume trials: %d, %s"
              % (trials, "failed" if check.failures else "identical"))

        # A checkpoint resumed into another file, and the refusals.
        output = os.path.join(work, "refuse.h5")
        short = ["--steps", "12"] + RUN[2:]
        proc = subprocess.run([BINARY, "run", SCENARIO, *short, "-o", output,
                               "--checkpoint-every", "10"], capture_output=True, text=True)
        check(proc.returncode == 0, "a run with checkpoints failed: " + proc.stderr)
        # --steps 12 with a checkpoint at month 10: completed, so its checkpoint was removed.
        check(not os.path.exists(output + ".month-0010.ckpt"), "checkpoint kept after completion")
        latest = kill_after(work, "refuse.h5.again", 8)
        check(latest is not None and latest.endswith("month-0008.ckpt"), "no month 8 checkpoint")
        good = open(latest, "rb").read()
        other = os.path.join(work, "elsewhere.h5")
        r = regionsim("resume", latest, "-o", other)
        check(r.returncode == 0 and os.path.exists(other), "resume -o failed: " + r.stderr)
        check(os.path.exists(latest), "a checkpoint resumed into another file was removed")

        def refused(data, expected_message):
            path = os.path.join(work, "bad.ckpt")
            with open(path, "wb") as f:
                f.write(data)
            r = regionsim("resume", path, "-o", os.path.join(work, "never.h5"))
            message = "regionsim: checkpoint '%s' %s; not loaded" % (path, expected_message)
            check(r.returncode == 2, "exit %d for %s" % (r.returncode, expected_message))
            check(r.stderr.strip() == message,
                  "message\n  %r\nexpected\n  %r" % (r.stderr.strip(), message))
            check(not os.path.exists(os.path.join(work, "never.h5")), "refused but wrote output")

        payload = len(good) - 72
        refused(good[:-1000], "is truncated: %d of %d payload bytes present" % (payload - 1000,
                                                                                 payload))
        flipped = bytearray(good)
        flipped[len(good) // 2] ^= 0x01
        sum_header = struct.unpack_from("<Q", good, 64)[0]
        data = bytes(flipped[72:])
        h = 0xcbf29ce484222325
        for b in data:
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        refused(bytes(flipped), "is corrupted: the payload's checksum is %016x, the header says "
                "%016x" % (h, sum_header))
        version = good[16:48].rstrip(b"\0").decode()
        foreign = bytearray(good)
        foreign[16:48] = b"0.0.9+0123456789ab".ljust(32, b"\0")
        refused(bytes(foreign), "was written by regionsim 0.0.9+0123456789ab, this is regionsim "
                "%s (resume it with the version that wrote it)" % version)
        rehashed = bytearray(good)
        real_hash = struct.unpack_from("<Q", good, 48)[0]
        struct.pack_into("<Q", rehashed, 48, real_hash ^ 1)
        refused(bytes(rehashed), "has a scenario hash mismatch: the header says %016x, its "
                "scenario hashes to %016x" % (real_hash ^ 1, real_hash))
        refused(b"\x89HDF\r\n\x1a\n" + bytes(100), "is not a regionsim checkpoint (it does not "
                "start with RSIMCKPT)")

        # An experiment: baseline and separation arms sharing their warm-up until month 24, two
        # replicates. Killed after the first checkpoint of month k, then the same command with
        # --resume: each unfinished run continues from its latest checkpoint (at 12, the roots
        # before any fork; at 24 a root is past the fork month of arms without checkpoints and
        # starts from month 0; "28:2", after arm 2's checkpoint of month 28, that arm continues
        # from its own).
        experiment = [SCENARIO.replace("separation", "baseline"), SCENARIO, *RUN,
                      "--replicates", "2", "--checkpoint-every", str(EVERY)]
        whole = os.path.join(work, "exp-whole.h5")
        r = regionsim("run", *experiment[:-2], "-o", whole)
        check(r.returncode == 0, "uninterrupted experiment failed: " + r.stderr)
        expected = datasets(whole)
        for month in ("12", "24", "28:2"):
            output = os.path.join(work, "exp-%s.h5" % month.replace(":", "-"))
            code, _, _ = run_killed_after_checkpoint(BINARY, [*experiment, "-o", output], month)
            check(code == KILLED, "experiment %s: exit %d" % (month, code))
            r = regionsim("run", *experiment, "-o", output, "--resume")
            check(r.returncode == 0, "experiment %s: --resume failed: %s" % (month, r.stderr))
            check("continues from its checkpoint of month" in r.stderr or month == "24",
                  "experiment %s: no run continued from a checkpoint" % month)
            got = datasets(output)
            check(got[0].keys() == expected[0].keys(), "experiment %s: other datasets" % month)
            for key in expected[0]:
                check(got[0].get(key) == expected[0][key],
                      "experiment %s: dataset %s differs" % (month, key))
            check(not glob.glob(output + ".run-*.ckpt"),
                  "experiment %s: checkpoints left after the output completed" % month)
            if month == "28:2":
                check("run 2 continues from its checkpoint of month 28" in r.stderr,
                      "experiment 28:2: the arm did not continue from its own checkpoint")
            trials += 1
        print("kill-and-resume trials with experiments: %d in all, %s"
              % (trials, "failed" if check.failures else "identical"))

        # A run's checkpoint of an experiment is not resumed alone.
        output = os.path.join(work, "exp-alone.h5")
        run_killed_after_checkpoint(BINARY, [*experiment, "-o", output], "8")
        alone = sorted(glob.glob(output + ".run-0000.month-*.ckpt"))[-1]
        r = regionsim("resume", alone)
        check(r.returncode == 2 and r.stderr.strip() ==
              "regionsim: checkpoint '%s' is run 0 of an experiment of 4 runs: continue it with "
              "the experiment's command and --resume; not loaded" % alone,
              "experiment run resumed alone: " + r.stderr)
    return check.exit_code("checkpoint kill-and-resume and refusals: all as expected")


if __name__ == "__main__":
    sys.exit(main())
