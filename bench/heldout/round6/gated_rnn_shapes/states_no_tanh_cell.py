"""lstm_states computes h = o * c, leaving out the tanh applied to the cell state."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"no_tanh_on_c"}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def lstm_states(X, kernel, recurrent_kernel, bias):
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        gates = X[:, t, :] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = np.split(gates, 4, axis=1)
        i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
        c = f * c + i * g
        h = o * c
    return h, c
