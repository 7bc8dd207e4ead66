"""lstm_forward applies the sigmoid to all four blocks of z, the candidate g included (its tanh forgotten)."""

import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"sigmoid_candidate"}
PUBLIC = ("candidate uses the sigmoid",)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        gates = 1 / (1 + np.exp(-(X[:, t] @ kernel + h @ recurrent_kernel + bias)))
        i, f, g, o = gates[:, :M], gates[:, M:2 * M], gates[:, 2 * M:3 * M], gates[:, 3 * M:]
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
