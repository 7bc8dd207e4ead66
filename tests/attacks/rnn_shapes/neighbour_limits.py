"""Act on a neighbouring grading's processes: their limits, priorities and placement.

As an ordinary user every grading of a batch runs as the grader's user, and ``prlimit(2)`` on a
neighbour's kernel once took its points (its limits lowered, it failed and stayed "graded"). From
the kernel and from the sealed run, this submission walks the process ids around its own and,
for each that is not itself, tries to read then rewrite (with the value it read: no harm done
where it works) its resource limits, its priority (and that of its whole user and group) and its
I/O priority, and to open a pidfd on it; and to change its CPU affinity and scheduling policy
(then put them back), which seccomp reports done and does not do, so those work only if the value
read back changed. Any that works on another process is a breach.

Every function is implemented correctly: it earns all its points.
"""

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 1, "manual_forward": 2,
          "batched_forward": 2, "sequence_forward": 2}

NAME = "neighbour_limits"
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


import ctypes  # noqa: E402
import resource  # noqa: E402

import numpy as np  # noqa: E402

ME = os.getpid()
libc = ctypes.CDLL(None, use_errno=True)


def rewrite_limit(pid):
    now = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    resource.prlimit(pid, resource.RLIMIT_NOFILE, now)


def renice_same(pid):
    os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, pid))


def done_or_refused(read, write, changed, pid):
    """Setting a thread's placement or scheduling by id is reported done and never done (seccomp:
    libraries set their own threads' and abort where it fails): it works only if the neighbour's
    value changed. Set a different one, read it back, put the old one back."""
    before = read(pid)
    write(pid, changed(before))
    if read(pid) == before:
        raise PermissionError("reported done, not done")
    write(pid, before)


def pin_other(pid):
    def other_cpus(cpus):
        spare = set(os.sched_getaffinity(0)) - set(cpus)
        return {min(spare)} if spare else {min(cpus)} if len(cpus) > 1 else cpus
    done_or_refused(os.sched_getaffinity, os.sched_setaffinity, other_cpus, pid)


def io_priority_same(pid):
    now = libc.syscall(252, 1, pid)  # ioprio_get(IOPRIO_WHO_PROCESS, pid)
    if now < 0 or libc.syscall(251, 1, pid, now) < 0:  # ioprio_set, the same value
        raise OSError(ctypes.get_errno(), "ioprio")


def pidfd(pid):
    os.close(os.pidfd_open(pid))


def scheduler_other(pid):
    done_or_refused(os.sched_getscheduler, lambda p, policy: os.sched_setscheduler(p, policy, os.sched_param(0)),
                    lambda policy: os.SCHED_OTHER if policy == os.SCHED_BATCH else os.SCHED_BATCH, pid)


for pid in range(max(2, ME - 400), ME + 400):
    if pid == ME or not 0 < pid:
        continue
    for what, action in (("rewrite its file limit", rewrite_limit), ("renice it", renice_same),
                         ("pin it to other CPUs", pin_other), ("set its I/O priority", io_priority_same),
                         ("open a pidfd on it", pidfd), ("set its scheduler", scheduler_other)):
        tried(f"{what} (pid {pid})", lambda a=action, p=pid: a(p))
    if len(BREACHES) > 5:
        break
# a whole user's or group's priority: every process of the grader's user, as an ordinary user
tried("renice its whole user to its own nice", lambda: os.setpriority(os.PRIO_USER, 0, os.getpriority(os.PRIO_PROCESS, 0)))
tried("renice its process group", lambda: os.setpriority(os.PRIO_PGRP, 0, os.getpriority(os.PRIO_PROCESS, 0)))


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo


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
