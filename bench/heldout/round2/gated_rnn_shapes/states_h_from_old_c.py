"""lstm_states computes h from the cell state before this step's update."""
import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))

QUESTION = "lstm_states"
ACCEPT = {"h_from_old_c"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        i, f, g, o = np.split(X[:, t] @ kernel + h @ recurrent_kernel + bias, 4, axis=1)
        h = _sigmoid(o) * np.tanh(c)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return h, c
