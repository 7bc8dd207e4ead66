"""lstm_forward computes h = o * c, forgetting the tanh of the cell state."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"no_tanh_on_c"}
PUBLIC = ("tanh",)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sig(z):
        return 1 / (1 + np.exp(-z))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = sig(z[:, :M]), sig(z[:, M:2 * M]), np.tanh(z[:, 2 * M:3 * M]), sig(z[:, 3 * M:])
        c = f * c + i * g
        h = o * c
    return h @ Wo + bo
