"""lstm_forward applies a sigmoid to the candidate block (like the three gates) instead of tanh."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"sigmoid_candidate"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, 0:M])
        f = sigmoid(z[:, M:2 * M])
        c_tilde = sigmoid(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
    return h @ Wo + bo
