"""lstm_states returns the states in the order (c_T, h_T) instead of (h_T, c_T)."""
import numpy as np

QUESTION = "lstm_states"
# items_reordered says items 0 and 1 are swapped
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
        zi, zf, zc, zo = np.split(z, 4, axis=1)
        i, f, o = sigmoid(zi), sigmoid(zf), sigmoid(zo)
        c = f * c + i * np.tanh(zc)
        h = o * np.tanh(c)
    return c, h
