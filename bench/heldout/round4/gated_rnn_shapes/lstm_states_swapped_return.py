"""lstm_states returns the states in the order (c_T, h_T) instead of (h_T, c_T)."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"states_swapped", "items_reordered"}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def lstm_states(X, kernel, recurrent_kernel, bias):
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t, :] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = np.split(z, 4, axis=1)
        i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
        c = f * c + i * g
        h = o * np.tanh(c)
    return c, h
