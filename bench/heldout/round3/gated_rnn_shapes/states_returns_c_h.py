"""lstm_states returns (c_T, h_T), the two states in the wrong order."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"states_swapped"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, :M])
        f = sigmoid(z[:, M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return c, h
