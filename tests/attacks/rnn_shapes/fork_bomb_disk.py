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

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 1, "manual_forward": 2,
          "batched_forward": 2, "sequence_forward": 2}

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


def count_params(T, D, M, K):
    rnn = D * M + M * M + M
    dense = M * K + K
    return int(rnn + dense)


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (M, K), (K,)]


def extract_weights(model):
    Wx, Wh, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx, Wh, bh, Wo, bo


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


finish()
