"""Leak hidden inputs through what the judge repeats of a wrong answer: dict keys, types, shapes.

A wrong answer's message describes it: lstm_gate_weights' judge lists the keys of a dict with
the wrong keys ("got keys '...', '...'"), the array judges name the type of a non-array ("got a
<type>") and the shape of a wrongly shaped one. All three are the submission's to choose: dict
keys and a class's ``__qualname__`` may be any text, and an empty array may have huge other
dimensions at no cost. lstm_gate_weights returns a dict keyed by the hidden kernel's first
values; lstm_forward and lstm_states return objects whose type names carry the first values of
X (six decimals of each absolute value, each digit spelled as a letter: a for 0 ... j for 9, p
for the point, since the grader blanks out numbers it did not choose); gru_forward returns an
empty array whose dimensions are X's first values times a million.
Any of those values in the feedback is a leak (which the harness looks for).

It implements none of the functions: it earns nothing.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "leak_dict_keys"

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


def digits(values, count=8):
    return [spelled(v) for v in np.asarray(values).ravel()[:count]]


def carrier(values):
    kind = type("Leak", (), {})
    kind.__qualname__ = " ".join(digits(values))
    kind.__module__ = "v"
    return kind()


def shaped(values):
    dims = [int(round(abs(float(v)) * 1e6)) for v in np.asarray(values).ravel()[:2]]
    return np.empty((0, *dims), dtype=np.int8)


def lstm_count_params(D, M, K):
    raise NotImplementedError


def gru_count_params(D, M, K, reset_after=True):
    raise NotImplementedError


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    return {key: (kernel, recurrent_kernel, bias) for key in digits(kernel, 24)}


def lstm_states(X, kernel, recurrent_kernel, bias):
    return carrier(X), carrier(X[-1])


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return carrier(X)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return shaped(X)


finish()
