"""lstm_forward sets h = o * c, leaving out the tanh on the cell state."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"no_tanh_on_c"}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _step(x_t, h, c, kernel, recurrent_kernel, bias):
    M = h.shape[1]
    a = np.einsum("nd,dg->ng", x_t, kernel) + np.einsum("nm,mg->ng", h, recurrent_kernel) + bias
    i = _sigmoid(a[:, :M])
    f = _sigmoid(a[:, M:2 * M])
    g = np.tanh(a[:, 2 * M:3 * M])
    o = _sigmoid(a[:, 3 * M:])
    c = f * c + i * g
    h = o * c
    return h, c


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        h, c = _step(X[:, t, :], h, c, kernel, recurrent_kernel, bias)
    return h @ Wo + bo
