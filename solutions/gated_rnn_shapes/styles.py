"""Correct answers written in the many ways students write them; each must earn full marks.

Every function here is a complete, correct answer for the graded function named in ``STYLES``.
Most are plain functions, renamed when a submission is built; an answer that needs a helper at
module level, or calls another graded function, is given as source text holding the helper and
the graded function together (run beside the reference solution's other functions).
"""

from __future__ import annotations

import textwrap

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- lstm_count_params ----------------------------------------------------------------------------


def lstm_count_factored(D, M, K):
    return 4 * M * (D + M + 1) + K * (M + 1)


def lstm_count_from_shapes(D, M, K):
    # np.prod gives NumPy integers: the sum is an np.int64, which counts as an int
    shapes = [(D, 4 * M), (M, 4 * M), (4 * M,), (M, K), (K,)]
    return sum(np.prod(shape) for shape in shapes)


# --- gru_count_params -----------------------------------------------------------------------------


def gru_count_bias_shape(D, M, K, reset_after=True):
    bias_shape = (2, 3 * M) if reset_after else (3 * M,)
    shapes = [(D, 3 * M), (M, 3 * M), bias_shape, (M, K), (K,)]
    return int(sum(np.prod(s) for s in shapes))


def gru_count_per_gate(D, M, K, reset_after=True):
    total = 0
    for _gate in ("z", "r", "h"):
        total += D * M + M * M + M
        if reset_after:
            total += M
    return total + M * K + K


# --- lstm_gate_weights ----------------------------------------------------------------------------


def gates_np_split(kernel, recurrent_kernel, bias):
    Ws = np.split(kernel, 4, axis=1)
    Us = np.split(recurrent_kernel, 4, axis=1)
    bs = np.split(bias, 4)
    return {name: (W, U, b) for name, W, U, b in zip("ifco", Ws, Us, bs)}


def gates_reshaped(kernel, recurrent_kernel, bias):
    """Reshape to (..., 4, M): the four blocks are contiguous along the last axis."""
    D, M = kernel.shape[0], recurrent_kernel.shape[0]
    W4 = kernel.reshape(D, 4, M)
    U4 = recurrent_kernel.reshape(M, 4, M)
    b4 = bias.reshape(4, M)
    return {name: [W4[:, k, :], U4[:, k, :], b4[k]] for k, name in enumerate(["i", "f", "c", "o"])}


def gates_copies_float64(kernel, recurrent_kernel, bias):
    M = len(bias) // 4
    gates = {}
    gates["i"] = (kernel[:, :M].astype(float), recurrent_kernel[:, :M].astype(float), bias[:M].astype(float))
    gates["f"] = (kernel[:, M:2 * M].copy(), recurrent_kernel[:, M:2 * M].copy(), bias[M:2 * M].copy())
    gates["c"] = (kernel[:, 2 * M:3 * M], recurrent_kernel[:, 2 * M:3 * M], bias[2 * M:3 * M])
    gates["o"] = (kernel[:, 3 * M:], recurrent_kernel[:, 3 * M:], bias[3 * M:])
    return gates


# --- lstm_forward ---------------------------------------------------------------------------------


def lstm_per_sample_loops(X, kernel, recurrent_kernel, bias, Wo, bo):
    """A loop over samples and a loop over time, with 1-D states."""
    M = recurrent_kernel.shape[0]
    outputs = []
    for sample in X:
        h, c = np.zeros(M), np.zeros(M)
        for x_t in sample:
            z = x_t @ kernel + h @ recurrent_kernel + bias
            i, f, g, o = z[:M], z[M:2 * M], z[2 * M:3 * M], z[3 * M:]
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
        outputs.append(h @ Wo + bo)
    return np.array(outputs)


def lstm_concatenated(X, kernel, recurrent_kernel, bias, Wo, bo):
    """One matrix for both terms: [x_t, h] @ [[kernel], [recurrent_kernel]]."""
    W = np.vstack([kernel, recurrent_kernel])
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = np.concatenate([X[:, t, :], h], axis=1) @ W + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
    return h @ Wo + bo


def lstm_float32_einsum(X, kernel, recurrent_kernel, bias, Wo, bo):
    """float32 throughout, as Keras computes; the input projection of all steps at once."""
    X, kernel, recurrent_kernel, bias, Wo, bo = (
        np.asarray(a, dtype=np.float32) for a in (X, kernel, recurrent_kernel, bias, Wo, bo)
    )
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    projected = np.einsum("ntd,dg->ntg", X, kernel) + bias
    h = np.zeros((N, M), np.float32)
    c = np.zeros((N, M), np.float32)
    for t in range(T):
        z = projected[:, t] + h @ recurrent_kernel
        i = 1 / (1 + np.exp(-z[:, :M]))
        f = 1 / (1 + np.exp(-z[:, M:2 * M]))
        o = 1 / (1 + np.exp(-z[:, 3 * M:]))
        c = f * c + i * np.tanh(z[:, 2 * M:3 * M])
        h = o * np.tanh(c)
    return h @ Wo + bo


LSTM_WITH_GATE_DICT = '''
def lstm_step(x_t, h, c, gates):
    """One step with the gate dict of lstm_gate_weights."""
    pre = {k: x_t @ W + h @ U + b for k, (W, U, b) in gates.items()}
    sig = lambda v: 1 / (1 + np.exp(-v))
    c = sig(pre["f"]) * c + sig(pre["i"]) * np.tanh(pre["c"])
    return sig(pre["o"]) * np.tanh(c), c


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    gates = lstm_gate_weights(kernel, recurrent_kernel, bias)
    N, T, D = X.shape
    h = np.zeros((N, len(bias) // 4))
    c = np.zeros_like(h)
    for t in range(T):
        h, c = lstm_step(X[:, t, :], h, c, gates)
    return h @ Wo + bo
'''


LSTM_FROM_STATES = '''
def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    h_T, _ = lstm_states(X, kernel, recurrent_kernel, bias)
    return np.dot(h_T, Wo) + bo
'''


# --- lstm_states ----------------------------------------------------------------------------------


def states_column_vectors(X, kernel, recurrent_kernel, bias):
    """Time-major with column states (M, N), as in a textbook: W^T x + U^T h + b."""
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((M, N))
    c = np.zeros((M, N))
    b = bias.reshape(-1, 1)
    for x_t in np.transpose(X, (1, 2, 0)):  # x_t: (D, N)
        z = kernel.T @ x_t + recurrent_kernel.T @ h + b
        i, f, g, o = _sigmoid(z[:M]), _sigmoid(z[M:2 * M]), np.tanh(z[2 * M:3 * M]), _sigmoid(z[3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h.T, c.T


def states_lists(X, kernel, recurrent_kernel, bias):
    """Per-sample loops, the states of each sample collected in lists."""
    M = recurrent_kernel.shape[0]
    hs, cs = [], []
    for n in range(X.shape[0]):
        h = np.zeros(M)
        c = np.zeros(M)
        for t in range(X.shape[1]):
            z = np.dot(X[n, t], kernel) + np.dot(h, recurrent_kernel) + bias
            gate = {name: z[k * M:(k + 1) * M] for k, name in enumerate("ifco")}
            c = _sigmoid(gate["f"]) * c + _sigmoid(gate["i"]) * np.tanh(gate["c"])
            h = _sigmoid(gate["o"]) * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


# --- gru_forward ----------------------------------------------------------------------------------


def gru_per_gate_weights(X, kernel, recurrent_kernel, bias, Wo, bo):
    """Gate weights split first; the reset_after layout read from the bias' shape."""
    M = recurrent_kernel.shape[0]
    Wz, Wr, Wh = np.split(kernel, 3, axis=1)
    Uz, Ur, Uh = np.split(recurrent_kernel, 3, axis=1)
    if bias.shape == (2, 3 * M):
        (bz, br, bh), (rz, rr, rh) = np.split(bias[0], 3), np.split(bias[1], 3)
    else:
        bz, br, bh = np.split(bias, 3)
        rz = rr = rh = None
    h = np.zeros((X.shape[0], M))
    for t in range(X.shape[1]):
        x = X[:, t]
        if rz is not None:
            z = _sigmoid(x @ Wz + bz + h @ Uz + rz)
            r = _sigmoid(x @ Wr + br + h @ Ur + rr)
            hh = np.tanh(x @ Wh + bh + r * (h @ Uh + rh))
        else:
            z = _sigmoid(x @ Wz + h @ Uz + bz)
            r = _sigmoid(x @ Wr + h @ Ur + br)
            hh = np.tanh(x @ Wh + (r * h) @ Uh + bh)
        h = z * h + (1 - z) * hh
    return h @ Wo + bo


def gru_float32_per_sample(X, kernel, recurrent_kernel, bias, Wo, bo):
    """float32, a loop over samples, the bias made 2-D with a zero recurrent row when it is 1-D."""
    X, kernel, recurrent_kernel, bias, Wo, bo = (
        np.asarray(a, dtype=np.float32) for a in (X, kernel, recurrent_kernel, bias, Wo, bo)
    )
    reset_after = bias.ndim == 2
    b = bias if reset_after else np.stack([bias, np.zeros_like(bias)])
    M = recurrent_kernel.shape[0]
    out = []
    for sample in X:
        h = np.zeros(M, np.float32)
        for x_t in sample:
            xw = x_t @ kernel + b[0]
            if reset_after:
                hu = h @ recurrent_kernel + b[1]
                z = 1 / (1 + np.exp(-(xw[:M] + hu[:M])))
                r = 1 / (1 + np.exp(-(xw[M:2 * M] + hu[M:2 * M])))
                hh = np.tanh(xw[2 * M:] + r * hu[2 * M:])
            else:
                z = 1 / (1 + np.exp(-(xw[:M] + h @ recurrent_kernel[:, :M])))
                r = 1 / (1 + np.exp(-(xw[M:2 * M] + h @ recurrent_kernel[:, M:2 * M])))
                hh = np.tanh(xw[2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
            h = z * h + (1 - z) * hh
        out.append(h @ Wo + bo)
    return np.stack(out)


GRU_WITH_HELPERS = '''
def gru_step_after(x_t, h, kernel, recurrent_kernel, b_in, b_rec):
    M = h.shape[-1]
    xw = x_t @ kernel + b_in
    hu = h @ recurrent_kernel + b_rec
    z = 1 / (1 + np.exp(-(xw[:, :M] + hu[:, :M])))
    r = 1 / (1 + np.exp(-(xw[:, M:2 * M] + hu[:, M:2 * M])))
    return z * h + (1 - z) * np.tanh(xw[:, 2 * M:] + r * hu[:, 2 * M:])


def gru_step_before(x_t, h, kernel, recurrent_kernel, b):
    M = h.shape[-1]
    xw = x_t @ kernel + b
    z = 1 / (1 + np.exp(-(xw[:, :M] + h @ recurrent_kernel[:, :M])))
    r = 1 / (1 + np.exp(-(xw[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])))
    return z * h + (1 - z) * np.tanh(xw[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    h = np.zeros((X.shape[0], recurrent_kernel.shape[0]))
    for t in range(X.shape[1]):
        if len(bias.shape) == 2:
            h = gru_step_after(X[:, t], h, kernel, recurrent_kernel, bias[0], bias[1])
        else:
            h = gru_step_before(X[:, t], h, kernel, recurrent_kernel, bias)
    return h @ Wo + bo
'''


STYLES = {
    "lstm_count_params": [lstm_count_factored, lstm_count_from_shapes],
    "gru_count_params": [gru_count_bias_shape, gru_count_per_gate],
    "lstm_gate_weights": [gates_np_split, gates_reshaped, gates_copies_float64],
    "lstm_forward": [lstm_per_sample_loops, lstm_concatenated, lstm_float32_einsum, LSTM_WITH_GATE_DICT, LSTM_FROM_STATES],
    "lstm_states": [states_column_vectors, states_lists],
    "gru_forward": [gru_per_gate_weights, gru_float32_per_sample, GRU_WITH_HELPERS],
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
