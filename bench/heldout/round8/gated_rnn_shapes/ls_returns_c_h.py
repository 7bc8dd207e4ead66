"""lstm_states returns the final states in the order (c_T, h_T) instead of (h_T, c_T)."""
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
        i = sigmoid(z[:, :M])
        f = sigmoid(z[:, M:2 * M])
        c_tilde = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
    return c, h
