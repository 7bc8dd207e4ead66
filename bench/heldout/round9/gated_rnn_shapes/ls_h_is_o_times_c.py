"""lstm_states computes h = o * c, forgetting the tanh on the cell state."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"no_tanh_on_c"}
PUBLIC = ("tanh",)


def lstm_states(X, kernel, recurrent_kernel, bias):
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * c
    return h, c
