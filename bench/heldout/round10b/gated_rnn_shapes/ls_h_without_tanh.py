"""lstm_states computes h = o * c: the tanh of the cell state is left out."""

import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"no_tanh_on_c"}
PUBLIC = ("o * c",)


def lstm_states(X, kernel, recurrent_kernel, bias):
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = (z[:, k * M:(k + 1) * M] for k in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * c
    return h, c
