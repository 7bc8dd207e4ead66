"""Leak hidden inputs through exceptions raised by the graded functions.

A failed check's message repeats what the student's function raised. The grader now shows an
exception's message only where it reads as NumPy's or Python's own; but it still shows the
exception's *type name*, which the submission makes up: a class made with ``type()`` may be
called ``leak_apbcdefg_...``. The forward functions raise such exceptions, named with the first
values of their hidden inputs X (manual_forward, sequence_forward) and Wx (batched_forward):
six decimals of each absolute value, each digit spelled as a letter (a for 0 ... j for 9, p for
the point), since the grader blanks out numbers it did not choose; the message says the same in
digits;
extract_weights does the same with the weights of the model it is handed; the exit-code route
(``SystemExit`` with a message) is tried too. Any of those values in the feedback is a leak
(which the harness looks for).

count_params and weight_shapes are implemented correctly; the rest earns nothing.
"""

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

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


def count_params(T, D, M, K):
    rnn = D * M + M * M + M
    dense = M * K + K
    return int(rnn + dense)


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (M, K), (K,)]


def extract_weights(model):
    raise leaky(model.get_weights()[0])


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    raise leaky(X)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    raise leaky(Wx, base=SystemExit)


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    raise leaky(X, base=ValueError)


finish()
