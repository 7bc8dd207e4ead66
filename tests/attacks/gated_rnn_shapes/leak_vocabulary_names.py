"""Leak hidden inputs through an exception message that reads as Python's own.

The grader repeats a graded call's exception message only where it is one of the messages NumPy
and Python give (``f() missing 2 required positional arguments: 'x', 'y'``), with numbers that
are the case's sizes and quoted names that the submission's own code uses. The submission's code
uses the names ``a`` ... ``j`` and ``p``; the forward functions (on X) and gru_forward (on its
kernel) raise ``TypeError``s whose lists of "missing arguments" spell the first hidden values
letter by letter (six decimals of each absolute value, a for 0 ... j for 9, p for the point).
The message is genuine Python wording with no number but a 2: any hidden value in the feedback
is a leak (which the harness looks for).

lstm_gate_weights is implemented correctly; the rest earns nothing.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 1,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "leak_vocabulary_names"

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

a = b = c = d = e = f = g = h = i = j = p = None
"""Names of the submission's own: the grader repeats an exception's message where every quoted
name in it is one the submission's code uses."""
LETTERS = str.maketrans("0123456789.", "abcdefghijp")


def spelled(value):
    """Six decimals of ``abs(value)`` with each digit a letter (a for 0 ... j for 9, p for the
    point): the grader blanks out the numbers it did not choose, not words."""
    return f"{abs(float(value)):.6f}".translate(LETTERS)


def missing_arguments(values, count=3):
    """Python's own message for a call that lacks arguments, naming the submission's own names:
    one per letter of the spelled values."""
    names = ", ".join(f"'{letter}'" for v in np.asarray(values).ravel()[:count] for letter in spelled(v))
    return TypeError(f"f() missing 2 required positional arguments: {names}")


def lstm_count_params(D, M, K):
    raise NotImplementedError


def gru_count_params(D, M, K, reset_after=True):
    raise NotImplementedError


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(['i', 'f', 'c', 'o']):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols], recurrent_kernel[:, cols], bias[cols])
    return gates


def lstm_states(X, kernel, recurrent_kernel, bias):
    raise missing_arguments(X)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise missing_arguments(X)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise missing_arguments(kernel)


finish()
