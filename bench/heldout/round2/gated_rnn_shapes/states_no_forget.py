"""lstm_states adds to the cell state without the forget gate."""
import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))

QUESTION = "lstm_states"
ACCEPT = {"forget_ignored"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        gates = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, g, o = _sigmoid(gates[:, :M]), np.tanh(gates[:, 2 * M:3 * M]), _sigmoid(gates[:, 3 * M:])
        c = c + i * g
        h = o * np.tanh(c)
    return h, c
