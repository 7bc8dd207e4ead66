"""Correct answers written in the many ways students write them; each must earn full marks.

Every function here is a complete, correct answer for the graded function named in ``STYLES``.
Most are plain functions, renamed when a submission is built; an answer that calls another graded
function is given as source text (run beside the reference solution's other functions).
"""

from __future__ import annotations

import textwrap

import numpy as np

# --- bptt_gradients -------------------------------------------------------------------------------


def bptt_per_sample(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    M, K = Wh.shape[0], Wo.shape[1]
    grads = [np.zeros_like(w, dtype=np.float64) for w in (Wx, Wh, bh, Wo, bo)]
    for n in range(N):
        hs = [np.zeros(M)]
        for t in range(T):
            hs.append(np.tanh(X[n, t] @ Wx + hs[-1] @ Wh + bh))
        dy = 2.0 * (hs[-1] @ Wo + bo - y[n]) / (N * K)
        grads[3] += np.outer(hs[-1], dy)
        grads[4] += dy
        dh = Wo @ dy
        for t in reversed(range(T)):
            da = dh * (1 - hs[t + 1] ** 2)
            grads[0] += np.outer(X[n, t], da)
            grads[1] += np.outer(hs[t], da)
            grads[2] += da
            dh = Wh @ da
    return tuple(grads)


def bptt_einsum_float32(X, y, Wx, Wh, bh, Wo, bo):
    X, y = X.astype(np.float32), y.astype(np.float32)
    N, T, _ = X.shape
    H = np.zeros((N, T + 1, Wh.shape[0]), dtype=np.float32)
    for t in range(T):
        H[:, t + 1] = np.tanh(np.einsum("nd,dm->nm", X[:, t], Wx) + np.einsum("nm,mk->nk", H[:, t], Wh) + bh)
    dout = 2 * (H[:, -1] @ Wo + bo - y) / np.prod(y.shape)
    dA = np.zeros((N, T, Wh.shape[0]), dtype=np.float32)
    dh = dout @ Wo.T
    for t in range(T - 1, -1, -1):
        dA[:, t] = dh * (1 - H[:, t + 1] ** 2)
        dh = dA[:, t] @ Wh.T
    dWx = np.einsum("ntd,ntm->dm", X, dA)
    dWh = np.einsum("ntm,ntj->mj", H[:, :-1], dA)
    return dWx, dWh, dA.sum(axis=(0, 1)), H[:, -1].T @ dout, dout.sum(axis=0)


def bptt_preactivations(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    cache = []
    for t in range(T):
        a = X[:, t, :] @ Wx + h @ Wh + bh
        cache.append((X[:, t, :], h, a))
        h = np.tanh(a)
    y_hat = h @ Wo + bo
    loss_grad = 2 * (y_hat - y) / y.size
    dWx, dWh, dbh = 0 * Wx, 0 * Wh, 0 * bh
    dh_next = loss_grad @ Wo.T
    for x, h_prev, a in reversed(cache):
        da = dh_next * (1 - np.tanh(a) ** 2)
        dWx = dWx + x.T @ da
        dWh = dWh + h_prev.T @ da
        dbh = dbh + np.sum(da, axis=0)
        dh_next = da @ Wh.T
    return [dWx, dWh, dbh, h.T @ loss_grad, loss_grad.sum(0)]


# --- hidden_gradients -----------------------------------------------------------------------------


def hidden_time_major_transposed(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    Xt = np.transpose(X, (1, 0, 2))
    hs = np.zeros((T + 1, N, Wh.shape[0]))
    for t in range(T):
        hs[t + 1] = np.tanh(Xt[t] @ Wx + hs[t] @ Wh + bh)
    dhs = np.zeros((T, N, Wh.shape[0]))
    dhs[-1] = (2 / (N * y.shape[1])) * (hs[-1] @ Wo + bo - y) @ Wo.T
    for t in range(T - 1, 0, -1):
        dhs[t - 1] = (dhs[t] * (1 - hs[t + 1] ** 2)) @ Wh.T
    return dhs.transpose(1, 0, 2)


def hidden_list_stacked(X, y, Wx, Wh, bh, Wo, bo):
    hs = [np.zeros((len(X), len(bh)))]
    for t in range(X.shape[1]):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    grads = []
    dh = np.dot(2 * (np.dot(hs[-1], Wo) + bo - y) / y.size, Wo.T)
    for h in hs[:0:-1]:
        grads.insert(0, dh)
        dh = np.dot(dh * (1 - h * h), Wh.T)
    return np.stack(grads, axis=1)


# --- gradient_norms -------------------------------------------------------------------------------


NORMS_FROM_HIDDEN = '''
def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    dh = hidden_gradients(X, y, Wx, Wh, bh, Wo, bo)
    return np.array([np.linalg.norm(dh[:, t]) for t in range(dh.shape[1])])
'''


def norms_flattened(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = []
    for t in range(T, 0, -1):
        norms.append(np.linalg.norm(dh.ravel()))
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return np.array(norms[::-1])


# --- truncated_bptt_gradients ---------------------------------------------------------------------


def truncated_cache_slice(X, y, Wx, Wh, bh, Wo, bo, k):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    cache = []
    for t in range(T):
        h_prev = h
        h = np.tanh(X[:, t] @ Wx + h_prev @ Wh + bh)
        cache.append((X[:, t], h_prev, h))
    dy = 2 * (h @ Wo + bo - y) / (N * y.shape[1])
    dWx, dWh, dbh = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(bh)
    dh = dy @ Wo.T
    for x, h_prev, h_t in reversed(cache[-k:]):
        da = dh * (1 - h_t**2)
        dWx = dWx + x.T @ da
        dWh = dWh + h_prev.T @ da
        dbh = dbh + da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, h.T @ dy, dy.sum(axis=0)


TRUNCATED_FULL_WHEN_LONG = '''
def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    T = X.shape[1]
    if k >= T:
        return bptt_gradients(X, y, Wx, Wh, bh, Wo, bo)
    N = X.shape[0]
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[-1] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for step in range(k):
        t = T - step
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[-1].T @ dy, dy.sum(axis=0)
'''


# --- clip_by_global_norm --------------------------------------------------------------------------


def clip_concatenated(grads, clip_norm):
    flat = np.concatenate([np.ravel(g) for g in grads])
    global_norm = np.linalg.norm(flat)
    if global_norm > clip_norm:
        return [g * (clip_norm / global_norm) for g in grads], global_norm
    return [np.copy(g) for g in grads], global_norm


def clip_copies_in_place(grads, clip_norm):
    clipped = [np.array(g, dtype=np.float64) for g in grads]
    total = 0.0
    for g in clipped:
        total += np.sum(g * g)
    global_norm = np.sqrt(total)
    for g in clipped:
        g *= clip_norm / max(global_norm, clip_norm)
    return tuple(clipped), np.array(global_norm)


STYLES = {
    "bptt_gradients": [bptt_per_sample, bptt_einsum_float32, bptt_preactivations],
    "hidden_gradients": [hidden_time_major_transposed, hidden_list_stacked],
    "gradient_norms": [NORMS_FROM_HIDDEN, norms_flattened],
    "truncated_bptt_gradients": [truncated_cache_slice, TRUNCATED_FULL_WHEN_LONG],
    "clip_by_global_norm": [clip_concatenated, clip_copies_in_place],
}
"""Correct styles of each graded function."""


def as_function(style, question: str):
    """The style as a callable answer of ``question``; source styles run beside the reference."""
    if callable(style):
        return style
    from . import solution

    namespace = {name: getattr(solution, name) for name in dir(solution) if not name.startswith("__")}
    exec(compile(textwrap.dedent(style), f"<style of {question}>", "exec"), namespace)
    return namespace[question]
