"""lstm_states uses a sigmoid for the candidate g (all four blocks sigmoid) instead of tanh."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"sigmoid_candidate"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = sigmoid(X[:, t] @ kernel + h @ recurrent_kernel + bias)
        i, f, g, o = z[:, :M], z[:, M:2 * M], z[:, 2 * M:3 * M], z[:, 3 * M:]
        c = f * c + i * g
        h = o * np.tanh(c)
    return h, c
