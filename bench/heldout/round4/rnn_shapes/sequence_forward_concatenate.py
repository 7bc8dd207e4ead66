"""sequence_forward joins the per-step (N, K) outputs with np.concatenate(axis=1) instead of np.stack, returning shape (N, T*K) instead of (N, T, K)."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"values_rearranged"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wx.shape[1]
    h = np.zeros((N, M))
    outs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outs.append(h @ Wo + bo)
    return np.concatenate(outs, axis=1)
