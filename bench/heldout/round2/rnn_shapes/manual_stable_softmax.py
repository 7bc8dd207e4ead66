"""manual_forward applies a (numerically stable) softmax to the output."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"softmax_output"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for t in range(X.shape[0]):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    y = h @ Wo + bo
    e = np.exp(y - y.max())
    return e / e.sum()
