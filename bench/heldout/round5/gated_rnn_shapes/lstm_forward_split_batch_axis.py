"""lstm_forward splits the pre-activations with np.split(z, 4), along axis 0 (the batch) instead of axis=1 (the gates), so it raises (a split error, or a broadcasting error in the cell update)."""
import numpy as np

QUESTION = "lstm_forward"
# raises ValueError on every check; no entry raises the same messages, no finding
ACCEPT = {'split_axis_0'}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        zi, zf, zc, zo = np.split(z, 4)
        i, f, o = sigmoid(zi), sigmoid(zf), sigmoid(zo)
        g = np.tanh(zc)
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
