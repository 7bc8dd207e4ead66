"""batched_forward precomputes X @ Wx for every step and forgets bh."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"no_hidden_bias"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    XW = X @ Wx
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(XW[:, t] + h @ Wh)
    return h @ Wo + bo
