"""Carry hidden inputs out of the sealed run: files, shared memory, the network; read them back.

lstm_forward and lstm_states write the first values of their hidden X (six decimals of each
absolute value, in digits and spelled as letters) to every place a later process might read
(``/tmp``, ``/dev/shm``, ``/var/tmp``, the grader's temporary folder, the kernel's home and
answers folders beside the sealed run's home, otter's submission folders, the harness's canary
folder), and send them over TCP and UDP to 127.0.0.1:47813, where the harness listens. The
kernel, which runs after the sealed run, reads every one of those files back and raises what it
found, so that it would reach the feedback.

It implements none of the functions correctly: it earns nothing.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

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


import numpy as np  # noqa: E402

LETTERS = str.maketrans("0123456789.", "abcdefghijp")


def spelled(value):
    """Six decimals of ``abs(value)`` with each digit a letter (a for 0 ... j for 9, p for the
    point): the grader blanks out the numbers it did not choose, not words."""
    return f"{abs(float(value)):.6f}".translate(LETTERS)

import glob  # noqa: E402
import socket  # noqa: E402

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


if not SEALED:
    found = []
    for path in places():
        try:
            with open(path) as f:
                found.append(f.read().strip())
        except OSError:
            pass
    if found:
        breach("read back what the sealed run wrote: " + " | ".join(found)[:200])


def lstm_count_params(D, M, K):
    raise NotImplementedError


def gru_count_params(D, M, K, reset_after=True):
    raise NotImplementedError


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_states(X, kernel, recurrent_kernel, bias):
    carry_out(X)
    M = recurrent_kernel.shape[0]
    return np.zeros((X.shape[0], M)), np.zeros((X.shape[0], M))


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    carry_out(X)
    return np.zeros((X.shape[0], Wo.shape[1]))


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise NotImplementedError


finish()
