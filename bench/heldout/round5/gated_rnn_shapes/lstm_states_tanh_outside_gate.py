"""lstm_states computes the hidden state as tanh(o * c) instead of o * tanh(c)."""
import numpy as np

QUESTION = "lstm_states"
# tanh(o * c): no_tanh_on_c (o * c) is another mistake
ACCEPT = {'tanh_outside_gate'}


def lstm_states(X, kernel, recurrent_kernel, bias):
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t, :] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, :M])
        f = sigmoid(z[:, M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:])
        c = f * c + i * g
        h = np.tanh(o * c)
    return h, c
