"""Answers that lie about themselves: equal to anything, array-like, NaN, claiming to be arrays.

A grader that compared the student's objects in the student's process (``answer == expected``,
``np.allclose(answer, expected)``, ``len(answer)``) would be told whatever they say. Here
bptt_gradients returns NumPy subclasses of the right shapes, holding zeros, whose comparisons,
arithmetic and ufuncs all say "equal" or "no difference"; hidden_gradients an object array of
the right shape whose elements equal anything and subtract to 0; gradient_norms NaNs of the right
shape (NaN fails every ``>`` test of a difference); truncated_bptt_gradients a tuple of objects
whose ``__class__`` claims to be ``np.ndarray``, with an ``__array__`` of zeros; every one of them
could only pass by lying. The answers are described as data in the sealed run (subclasses lose
their methods, objects are named, not called) and judged elsewhere: they earn nothing.
clip_by_global_norm is right, and must keep its point beside them.

clip_by_global_norm is implemented correctly; the rest earns nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 1}

NAME = "lying_answers"

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


class Agreeable(np.ndarray):
    """Zeros that say they equal anything, differ from nothing, and pass every ufunc's test."""

    def __eq__(self, other):
        return np.ones(self.shape, bool)

    def __ne__(self, other):
        return np.zeros(self.shape, bool)

    def __sub__(self, other):
        return np.zeros(self.shape)

    __rsub__ = __sub__

    def __abs__(self):
        return np.zeros(self.shape)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in (np.isclose, np.equal, np.less_equal, np.isfinite):
            return np.ones(self.shape, bool)
        if ufunc in (np.greater, np.not_equal, np.isnan):
            return np.zeros(self.shape, bool)
        return np.zeros(self.shape)

    def __bool__(self):
        return True

    def tolist(self):
        return np.zeros(self.shape).tolist()


def agreeable(shape):
    return np.zeros(shape).view(Agreeable)


class Equal:
    """Equal to anything; any difference with it is 0."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        return 0.0

    def __float__(self):
        return float("nan")

    def __hash__(self):
        return 0


class Impostor:
    """Claims to be a NumPy array (``isinstance(x, np.ndarray)`` is True), and is not one."""

    def __init__(self, shape):
        self.shape, self.ndim, self.dtype = tuple(shape), len(shape), np.dtype("float64")

    @property
    def __class__(self):
        return np.ndarray

    def __array__(self, dtype=None, copy=None):
        return np.zeros(self.shape)

    def __eq__(self, other):
        return True

    def __len__(self):
        return self.shape[0] if self.shape else 0


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    return tuple(agreeable(np.shape(w)) for w in (Wx, Wh, bh, Wo, bo))


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    out = np.empty((X.shape[0], X.shape[1], Wh.shape[0]), dtype=object)
    out.fill(Equal())
    return out


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    return np.full(X.shape[1], np.nan)


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    return tuple(Impostor(np.shape(w)) for w in (Wx, Wh, bh, Wo, bo))


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
