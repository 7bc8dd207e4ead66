"""Change the arguments in place: the hidden inputs shared between checks and between questions.

The checks of bptt_gradients, hidden_gradients, gradient_norms and truncated_bptt_gradients on
one hidden case are the same arrays X, y, Wx, Wh, bh, Wo, bo, and each question's first check is
asked again at the end. A grader that handed every call the same objects would let one call
change what the next one sees. Each function here computes its answer right (from copies), then
changes its arguments in place: zeros X and y, scales Wh, fills Wx and bh with NaN, and
clip_by_global_norm (whose own rule is to leave its arguments unchanged) zeros the arrays it was
given and empties their list after making its new arrays. Every function's answer is right on
the arguments it was given: a call that saw another call's changes would get a wrong answer,
and a changed argument must cost no other call anything.

Every function returns the right answer: the four gradient functions earn their points;
clip_by_global_norm breaks its question's rule, "the arrays given are not changed", and earns
nothing for it.
"""

EXPECT = {"bptt_gradients": 3, "hidden_gradients": 2, "gradient_norms": 1,
          "truncated_bptt_gradients": 2, "clip_by_global_norm": 0}

NAME = "mutate_inputs"

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


def spoil(X, y, Wx, Wh, bh):
    """Change every argument in place (where it can be changed)."""
    for array, how in ((X, 0.0), (y, 0.0), (Wx, np.nan), (bh, np.nan)):
        try:
            array[...] = how
        except (TypeError, ValueError):
            pass
    try:
        Wh *= 7
    except (TypeError, ValueError):
        pass


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    answer = right_bptt_gradients(*(np.array(a) for a in (X, y, Wx, Wh, bh, Wo, bo)))
    spoil(X, y, Wx, Wh, bh)
    return answer


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    answer = right_hidden_gradients(*(np.array(a) for a in (X, y, Wx, Wh, bh, Wo, bo)))
    spoil(X, y, Wx, Wh, bh)
    return answer


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    answer = right_gradient_norms(*(np.array(a) for a in (X, y, Wx, Wh, bh, Wo, bo)))
    spoil(X, y, Wx, Wh, bh)
    return answer


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    answer = right_truncated_bptt_gradients(*(np.array(a) for a in (X, y, Wx, Wh, bh, Wo, bo)), k)
    spoil(X, y, Wx, Wh, bh)
    return answer


def clip_by_global_norm(grads, clip_norm):
    answer = right_clip_by_global_norm([np.array(g) for g in grads], clip_norm)
    for g in grads:
        try:
            g[...] = 0
        except (TypeError, ValueError):
            pass
    try:
        grads.clear()
    except AttributeError:
        pass
    return answer


def right_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)


def right_hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
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


def right_gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = np.zeros(T)
    for t in range(T, 0, -1):
        norms[t - 1] = np.sqrt(np.sum(dh**2))
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return norms


def right_truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, max(T - k, 0), -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, np.sum(dy, axis=0)


def right_clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
