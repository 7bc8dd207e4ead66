"""sequence_forward turns its list of per-step outputs into an array with np.array, returning shape (T, N, K) instead of (N, T, K)."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"time_major", "axes_order", "values_rearranged"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wh.shape[0]
    h = np.zeros((N, M))
    Y = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        Y.append(h @ Wo + bo)
    return np.array(Y)
