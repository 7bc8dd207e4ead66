"""lstm_states puts the forget gate first, as some blog posts do (f, i, c, o)."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"order_fico"}
PUBLIC = ("order f, i, c, o",)


def lstm_states(X, kernel, recurrent_kernel, bias):
    def sig(z):
        return 1 / (1 + np.exp(-z))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        f, i, g, o = sig(z[:, :M]), sig(z[:, M:2 * M]), np.tanh(z[:, 2 * M:3 * M]), sig(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h, c
