"""lstm_forward squashes the cell state with a sigmoid before the output gate: h = o * sigmoid(c) instead of o * tanh(c)."""
import numpy as np

QUESTION = "lstm_forward"
# o * sigmoid(c): no_tanh_on_c (o * c) is another mistake
ACCEPT = {'sigmoid_on_c'}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = np.dot(X[:, t], kernel) + np.dot(h, recurrent_kernel) + bias
        i = sigmoid(z[:, :M])
        f = sigmoid(z[:, M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:])
        c = f * c + i * g
        h = o * sigmoid(c)
    return np.dot(h, Wo) + bo
