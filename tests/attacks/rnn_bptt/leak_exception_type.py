"""Leak hidden inputs through the type names of exceptions raised by the graded functions.

A failed check's message names the type of what the student's function raised, and the
submission makes that type up with ``type()``: ``leak_apbcdefg_...`` is a valid class name. The
gradient functions raise such exceptions named with the first values of their hidden X
(bptt_gradients, truncated_bptt_gradients), y (hidden_gradients, as a ValueError) and Wh
(gradient_norms, through ``SystemExit``, the exit-code route): six decimals of each absolute
value, each digit spelled as a letter (a for 0 ... j for 9, p for the point), since the grader
blanks out numbers it did not choose; the message says the same in digits. Any of those values
in the feedback is a leak (which the harness looks for).

clip_by_global_norm is implemented correctly; the rest earns nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 1}

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


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise leaky(X)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise leaky(y, base=ValueError)


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    raise leaky(Wh, base=SystemExit)


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    raise leaky(X[:, -k:])


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
