"""lstm_forward adds the bias to both x W and h U, as with PyTorch's two biases."""
import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))

QUESTION = "lstm_forward"
ACCEPT = {"bias_twice"}  # set once the concepts had been tuned on this file


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        i, f, g, o = np.split((X[:, t] @ kernel + bias) + (h @ recurrent_kernel + bias), 4, axis=1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
    return h @ Wo + bo
