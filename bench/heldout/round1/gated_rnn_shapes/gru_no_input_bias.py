"""gru_forward forgets the input bias (row 0, or the whole (3M,) bias)."""
import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))

QUESTION = "gru_forward"
ACCEPT = {"no_input_bias"}  # set once the concepts had been tuned on this file


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    b_rec = bias[1] if bias.ndim == 2 else np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        a = X[:, t] @ kernel
        if bias.ndim == 2:
            u = h @ recurrent_kernel + b_rec
            z, r = _sigmoid(a[:, :M] + u[:, :M]), _sigmoid(a[:, M:2 * M] + u[:, M:2 * M])
            hh = np.tanh(a[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            u = h @ recurrent_kernel[:, :2 * M]
            z, r = _sigmoid(a[:, :M] + u[:, :M]), _sigmoid(a[:, M:2 * M] + u[:, M:])
            hh = np.tanh(a[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
