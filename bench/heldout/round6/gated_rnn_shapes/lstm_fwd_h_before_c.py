"""lstm_forward updates h from the previous step's cell state, computing h = o * tanh(c) before updating c."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"h_from_old_c"}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = _sigmoid(z[:, :M])
        f = _sigmoid(z[:, M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = _sigmoid(z[:, 3 * M:])
        h = o * np.tanh(c)
        c = f * c + i * g
    return h @ Wo + bo
