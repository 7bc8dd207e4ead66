"""batched_forward sizes the hidden state from Wx.shape[0] (D) instead of M: raises unless D = M."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = set()
PUBLIC = ("D instead of M", "(N, D)", "Wx.shape[0]", "hidden state has D")


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N = X.shape[0]
    h = np.zeros((N, Wx.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
