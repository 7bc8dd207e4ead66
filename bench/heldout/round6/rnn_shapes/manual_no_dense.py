"""manual_forward returns the last hidden state h_T (shape (M,)) without applying the Dense layer."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"hidden_states"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    T = X.shape[0]
    M = Wx.shape[1]
    h = np.zeros(M)
    for t in range(T):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    return h
