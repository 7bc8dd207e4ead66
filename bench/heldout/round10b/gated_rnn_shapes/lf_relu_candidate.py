"""lstm_forward squashes the candidate g with ReLU instead of tanh (h = o * tanh(c) is right)."""

import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"relu_candidate"}
PUBLIC = ("candidate uses ReLU",)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.maximum(g, 0)
        h = sigmoid(o) * np.tanh(c)
    return h @ Wo + bo
