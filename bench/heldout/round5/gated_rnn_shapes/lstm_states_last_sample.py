"""lstm_states returns h[-1] and c[-1], the states of the last sample with shape (M,), instead of the full (N, M) states."""
import numpy as np

QUESTION = "lstm_states"
# each part is the last sample's state, (M,)
ACCEPT = {"one_sample_only"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, 0 * M:1 * M])
        f = sigmoid(z[:, 1 * M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * g
        h = o * np.tanh(c)
    # final states, after the last step
    return h[-1], c[-1]
