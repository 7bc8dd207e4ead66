# Only Keras' default GRU is handled: two bias rows in the count, and bias unpacked into two rows.
import numpy as np


def lstm_count_params(D, M, K):
    return 4 * (D * M + M * M + M) + M * K + K


def gru_count_params(D, M, K, reset_after=True):
    return 3 * (D * M + M * M + 2 * M) + M * K + K


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = bias.shape[0] // 4
    names = ["i", "f", "c", "o"]
    return {n: (kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
            for k, n in enumerate(names)}


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm_states(X, kernel, recurrent_kernel, bias):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        i, f, g, o = np.split(X[:, t] @ kernel + h @ recurrent_kernel + bias, 4, axis=1)
        c = _sig(f) * c + _sig(i) * np.tanh(g)
        h = _sig(o) * np.tanh(c)
    return h, c


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    h, _ = lstm_states(X, kernel, recurrent_kernel, bias)
    return h @ Wo + bo


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    b_in, b_rec = bias
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + b_in, 3, axis=1)
        hz, hr, hh = np.split(h @ recurrent_kernel + b_rec, 3, axis=1)
        z = _sig(xz + hz)
        r = _sig(xr + hr)
        h = z * h + (1 - z) * np.tanh(xh + r * hh)
    return h @ Wo + bo
