"""batched_forward takes step t as X[t] (the t-th sample) instead of X[:, t]."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"sample_axis_as_time"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
