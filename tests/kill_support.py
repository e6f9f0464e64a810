"""What the kill tests share (checkpoint_resume_test.py, partial_output_test.py): a list of
failures that lets every check run and report before the exit code, and a run SIGKILLed at an
exact month by the test-only hook."""
import os
import signal
import subprocess


class Checks:
    """check(condition, message) records and prints a failure instead of stopping at the first;
    exit_code() prints the summary and returns the process exit code."""

    def __init__(self):
        self.failures = []

    def __call__(self, condition, message):
        if not condition:
            self.failures.append(message)
            print("FAIL:", message)

    def exit_code(self, passed_message):
        if self.failures:
            print("%d failure(s)" % len(self.failures))
            return 1
        print(passed_message)
        return 0


def run_killed_after_checkpoint(binary, args, kill_at, extra_env=None):
    """Runs `binary run ARGS` with REGIONSIM_TEST_KILL_AFTER_CHECKPOINT=kill_at (docs/output.md):
    the process SIGKILLs itself right after its checkpoint of month M (`M`, or `M:R` for run R of
    an experiment), before that month's snapshot; polling for the file from here would race with
    a run that takes a few milliseconds a month. Returns (exit code, pid, stderr): the exit code
    is -SIGKILL when the hook fired."""
    env = dict(os.environ, REGIONSIM_TEST_KILL_AFTER_CHECKPOINT=kill_at, **(extra_env or {}))
    proc = subprocess.Popen([binary, "run", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    stderr = proc.communicate()[1]
    return proc.returncode, proc.pid, stderr


KILLED = -signal.SIGKILL
