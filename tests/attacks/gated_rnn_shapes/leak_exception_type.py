"""Leak hidden inputs through the type names of exceptions raised by the graded functions.

The grader no longer repeats an exception's message unless it reads as NumPy's or Python's own,
but it still names the exception's type, which the submission makes up with ``type()``:
``leak_apbcdefg_...`` is a valid class name. lstm_gate_weights raises such an exception named
with the first values of the hidden kernel, the forward functions with the first values of
their hidden X (six decimals of each absolute value, each digit spelled as a letter: a for 0
... j for 9, p for the point, since the grader blanks out numbers it did not choose), and the
message says the same in digits. Any of those values in the feedback is a leak (which the harness looks for).

The two count functions are implemented correctly; the rest earns nothing.
"""

EXPECT = {"lstm_count_params": 1, "gru_count_params": 1, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "leak_exception_type"

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


def leaky(values, base=Exception):
    """An exception whose type name and message carry ``values``."""
    values = np.asarray(values).ravel()[:6]
    kind = type(("leak_" + "_".join(spelled(v) for v in values))[:61], (base,), {})
    return kind("the hidden values are " + " ".join(f"{abs(float(v)):.6f}" for v in values))


def lstm_count_params(D, M, K):
    lstm = 4 * (D * M + M * M + M)
    dense = M * K + K
    return int(lstm + dense)


def gru_count_params(D, M, K, reset_after=True):
    bias = 2 * 3 * M if reset_after else 3 * M
    gru = 3 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    raise leaky(kernel)


def lstm_states(X, kernel, recurrent_kernel, bias):
    raise leaky(X, base=ValueError)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise leaky(X)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise leaky(kernel, base=TypeError)


finish()
