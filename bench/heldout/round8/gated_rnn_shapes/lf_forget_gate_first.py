"""lstm_forward reads the forget gate from the first column block and the input gate from the second (the f, i, c, o order of many textbooks), swapping i and f."""
import numpy as np

QUESTION = "lstm_forward"
# f from block 0, i from block 1: the order f, i, c, o
ACCEPT = {"order_fico"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        f = sigmoid(z[:, 0:M])
        i = sigmoid(z[:, M:2 * M])
        c_tilde = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
    return h @ Wo + bo
