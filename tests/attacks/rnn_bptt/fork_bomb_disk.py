"""Exhaust the machine: a (bounded) fork bomb, processes left behind, a disk filled up.

Other submissions of a batch share the machine. From the kernel and from the sealed run, this
submission forks up to 300 processes at once (each gone after 3 seconds; more than the
sandbox's limit of 256 is a breach), leaves two processes in sessions of their own that would
sleep two minutes (the grader must end them, and the harness looks for any process of a
sandbox's user afterwards), and writes up to 200 MB (64 MB in the sealed run) into its home (one file, cut at the file
limit: 128 MiB at the default disk limit, all well under the grading's 1 GiB), which
the grader must remove, and a megabyte into each shared folder it should not write
(``/tmp``, ``/dev/shm``, ``/var/tmp``, the grader's temporary folder).

Every function is implemented correctly: it earns full marks.
"""

EXPECT = {"bptt_gradients": 3, "hidden_gradients": 2, "gradient_norms": 1,
          "truncated_bptt_gradients": 2, "clip_by_global_norm": 1}

NAME = "fork_bomb_disk"

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


import posix  # noqa: E402
import time  # noqa: E402

MAX_PROCESSES = 256
"""The sandbox's process limit (``gradecore.sandbox.confine.MAX_PROCESSES``)."""
CHUNK = b"\0" * (8 << 20)


def fork_bomb(limit=300, life=3.0):
    """At most ``limit`` children, each gone after ``life`` seconds, all reaped before returning."""
    children = []
    for _ in range(limit):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(life)
            posix._exit(0)
        children.append(pid)
    if len(children) > MAX_PROCESSES:
        breach(f"forked {len(children)} processes (the limit is {MAX_PROCESSES})")
    for pid in children:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def orphans(count=2, life=120):
    """Processes in sessions of their own, whose parents are gone: the grader must end them."""
    for _ in range(count):
        pid = os.fork()
        if pid:
            os.waitpid(pid, 0)
            continue
        try:
            os.setsid()
            if os.fork() == 0:
                time.sleep(life)
        finally:
            posix._exit(0)


def fill(path, megabytes):
    """Write up to ``megabytes`` at ``path``; True if it could write at all."""
    try:
        with open(path, "wb") as f:
            for _ in range(0, megabytes, 8):
                f.write(CHUNK)
    except OSError:
        return False
    return True


def fill_disk(allowed_mb):
    home = os.environ.get("HOME", "/tmp/x")
    fill(os.path.join(home, "rnn-shapes-attack-fill.bin"), allowed_mb)
    for folder in ("/tmp", "/dev/shm", "/var/tmp", grader_tmp(), os.path.dirname(home)):
        path = os.path.join(folder, "rnn-shapes-attack-fill.bin")
        if fill(path, 1):  # a megabyte only: enough to tell
            breach(f"wrote {path}")


try:
    fork_bomb()
    orphans()
    fill_disk(64 if SEALED else 200)
except Exception:  # noqa: BLE001
    pass


import numpy as np  # noqa: E402


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    out = np.zeros((N, T, Wh.shape[0]))
    for t in range(T, 0, -1):
        out[:, t - 1] = dh
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return out


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
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
