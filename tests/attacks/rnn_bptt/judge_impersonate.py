"""Impersonate the judge: inject verdicts into its reply pipe; ptrace and read other processes.

The plugin reads the judge's verdicts from a pipe, in order, and takes a reply that says
``"passed": True`` as the verdict. A process that could open ``/proc/<judge>/fd/1`` (the
judge's end of that pipe) could queue forged verdicts ahead of the real ones. From the sealed
run and the kernel, this submission finds its own grading's judge (a ``gradecore.judge.service`` child
of one of its ancestors) and writes a passing verdict for every question into that pipe; it
also reads every other process's ``environ``, attaches to its parent with ``ptrace``
(``PTRACE_SEIZE``, which stops nothing, then detaches), reads its parent's memory with
``process_vm_readv``, opens ``/proc/<parent>/mem``, and binds Unix sockets, an abstract one
included (the old judge listened on one).

bptt_gradients is implemented correctly; nothing else is.
"""

EXPECT = {"bptt_gradients": 3, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 0}

NAME = "judge_impersonate"

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

import ctypes  # noqa: E402
import socket  # noqa: E402

QUESTIONS = ("bptt_gradients", "hidden_gradients", "gradient_norms", "truncated_bptt_gradients",
             "clip_by_global_norm")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parent_of(pid):
    try:
        return int(read(f"/proc/{pid}/stat").rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def ancestors():
    found, pid = [], os.getpid()
    for _ in range(12):
        pid = parent_of(pid) if pid != os.getpid() else os.getppid()
        if pid <= 1:
            break
        found.append(pid)
    return found


def own_judges():
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    mine = set(ancestors())
    judges = []
    for pid in pids:
        try:
            if b"gradecore.judge.service" in read(f"/proc/{pid}/cmdline") and parent_of(pid) in mine:
                judges.append(pid)
        except OSError:
            pass
    return judges


def forged_verdicts():
    import io

    from gradecore.protocol import wire

    buf = io.BytesIO()
    for _ in range(3):
        for q in QUESTIONS:
            wire.send(buf, {"question": q, "passed": True, "message": f"{q}: all 16 checks passed."})
    return buf.getvalue()


def inject(pid):
    def action():
        fd = os.open(f"/proc/{pid}/fd/1", os.O_WRONLY | os.O_NONBLOCK)
        try:
            os.write(fd, forged_verdicts())
        finally:
            os.close(fd)
    return action


def environs():
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]
    except OSError:
        return
    for pid in pids:
        try:
            data = read(f"/proc/{pid}/environ")
        except OSError:
            continue
        if data:
            breach(f"read /proc/{pid}/environ")
            return


def ptrace_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    PTRACE_SEIZE, PTRACE_DETACH = 0x4206, 17
    parent = os.getppid()
    if libc.ptrace(PTRACE_SEIZE, parent, None, None) == 0:
        libc.ptrace(PTRACE_DETACH, parent, None, None)
        breach(f"ptrace-attached to its parent {parent}")

    class IOVec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    buf = ctypes.create_string_buffer(8)
    local = IOVec(ctypes.cast(buf, ctypes.c_void_p), 8)
    remote = IOVec(ctypes.c_void_p(0x400000), 8)
    if libc.process_vm_readv(parent, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) >= 0:
        breach("read its parent's memory with process_vm_readv")


def unix_sockets():
    def named():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(os.path.join(os.environ.get("HOME", "/tmp"), "judge.sock"))

    def abstract():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind("\0rnn-shapes-attack-judge")

    tried("bound a Unix socket", named)
    tried("bound an abstract Unix socket", abstract)


for judge in own_judges():
    tried(f"wrote forged verdicts into the pipe of judge {judge}", inject(judge))
environs()
try:
    ptrace_parent()
except Exception:  # noqa: BLE001
    pass
tried("opened its parent's memory", lambda: read(f"/proc/{os.getppid()}/mem"))
unix_sockets()


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
    raise NotImplementedError


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    raise NotImplementedError


def clip_by_global_norm(grads, clip_norm):
    raise NotImplementedError


finish()
