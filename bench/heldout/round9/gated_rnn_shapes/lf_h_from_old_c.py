"""lstm_forward updates h before c: h = o * tanh(c) with the previous step's c."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"h_from_old_c"}
PUBLIC = ("before it is updated", "old", "previous")


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = sig(z[:, :M]), sig(z[:, M:2 * M]), np.tanh(z[:, 2 * M:3 * M]), sig(z[:, 3 * M:])
        h = o * np.tanh(c)
        c = f * c + i * g
    return h @ Wo + bo
