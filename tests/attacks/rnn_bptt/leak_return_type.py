"""Leak hidden inputs through what the judge repeats of a wrong answer: its type name, its shape.

A wrong answer's message says what was received: "should return a tuple (dWx, dWh, dbh, dWo,
dbo) of five arrays, got a <type>", "dWx should have shape (D, M)=(...), got shape (...)". Both
are the submission's to choose: a class's ``__qualname__`` and ``__module__`` may be any text,
and an empty array (a zero in its shape) may have huge other dimensions at no cost.
bptt_gradients returns an object whose type name carries the first values of its hidden X (six
decimals of each absolute value, each digit spelled as a letter: a for 0 ... j for 9, p for the
point, since the grader blanks out numbers it did not choose); truncated_bptt_gradients a tuple
of five such objects (one per gradient, each named after Wx); hidden_gradients an empty array
whose dimensions are the first values of X times a million; gradient_norms a float whose type
spells y; clip_by_global_norm a pair whose global norm is an int of its own type, named after the
first gradient it is given. Any of those values in the feedback is a leak (which the harness
looks for).

It implements none of the functions: it earns nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 0}

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


def named(values, base=object):
    """A class whose name, as the grader writes it, spells ``values``."""
    kind = type("Leak", (base,), {})
    kind.__qualname__ = " ".join(spelled(v) for v in np.asarray(values).ravel()[:8])
    kind.__module__ = "v"
    return kind


def shaped(values):
    """An empty array whose shape spells ``values`` (times a million)."""
    dims = [int(round(abs(float(v)) * 1e6)) for v in np.asarray(values).ravel()[:2]]
    return np.empty((0, *dims), dtype=np.int8)


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    return named(X)()


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    return shaped(X)


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    return named(y, float)(0.5)


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    return tuple(named(Wx)() for _ in range(5))


def clip_by_global_norm(grads, clip_norm):
    return [named(grads[0])() for _ in grads], named(grads[0], int)(1)


finish()
