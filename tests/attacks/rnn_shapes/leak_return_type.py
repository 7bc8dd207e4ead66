"""Leak hidden inputs through what the judge repeats of a wrong answer: its type name, its shape.

A wrong answer's message says what was received: "should be a NumPy array of shape (5, 3), got a
<type>", or "got shape (...)". Both are the submission's to choose: a class's ``__qualname__``
and ``__module__`` may be any text, and an empty array (a zero in its shape) may have huge other
dimensions at no cost. The forward functions and extract_weights return objects whose type
names carry the first values of their hidden inputs (six decimals of each absolute value, each
digit spelled as a letter: a for 0 ... j for 9, p for the point, since the grader blanks out
numbers it did not choose), and batched_forward an empty array whose dimensions are the first
values of X times a million.
Any of those values in the feedback is a leak (which the harness looks for).

It implements none of the functions: it earns nothing.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "leak_return_type"

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


def carrier(values):
    """An object whose type, as the grader names it, spells ``values``."""
    digits = " ".join(spelled(v) for v in np.asarray(values).ravel()[:8])
    kind = type("Leak", (), {})
    kind.__qualname__ = digits
    kind.__module__ = "v"
    return kind()


def shaped(values):
    """An empty array whose shape spells ``values`` (times a million)."""
    dims = [int(round(abs(float(v)) * 1e6)) for v in np.asarray(values).ravel()[:2]]
    return np.empty((0, *dims), dtype=np.int8)


def count_params(T, D, M, K):
    raise NotImplementedError


def weight_shapes(D, M, K):
    raise NotImplementedError


def extract_weights(model):
    return carrier(model.get_weights()[1])


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    return carrier(X)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    return shaped(X)


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    return carrier(Wh)


finish()
