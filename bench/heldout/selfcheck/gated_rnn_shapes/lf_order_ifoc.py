"""lstm_forward slices the gates in the order i, f, o, c (the textbook's), not Keras' i, f, c, o."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"order_ifoc"}
PUBLIC = ("order i, f, o, c",)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sig(z):
        return 1 / (1 + np.exp(-z))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, o, g = sig(z[:, :M]), sig(z[:, M:2 * M]), sig(z[:, 2 * M:3 * M]), np.tanh(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
