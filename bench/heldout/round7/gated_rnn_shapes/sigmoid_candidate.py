"""lstm_forward applies the sigmoid to all four blocks, including the candidate, which needs tanh."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"sigmoid_candidate"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        gates = 1.0 / (1.0 + np.exp(-(X[:, t] @ kernel + h @ recurrent_kernel + bias)))
        i = gates[:, :M]
        f = gates[:, M:2 * M]
        g = gates[:, 2 * M:3 * M]
        o = gates[:, 3 * M:]
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
