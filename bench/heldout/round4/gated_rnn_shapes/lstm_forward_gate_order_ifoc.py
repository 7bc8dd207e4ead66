"""lstm_forward assumes the packed gates are ordered i, f, o, c (the three gates, then the candidate) instead of Keras' i, f, c, o."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"order_ifoc"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        gates = sigmoid(z[:, :3 * M])
        i, f, o = gates[:, :M], gates[:, M:2 * M], gates[:, 2 * M:3 * M]
        g = np.tanh(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
