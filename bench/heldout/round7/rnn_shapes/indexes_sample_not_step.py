"""batched_forward takes X[t] (sample t, shape (T, D)) instead of X[:, t] (step t of every sample, shape (N, D)); it raises when N and T differ and gives wrong values when they are equal."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"sample_axis_as_time"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wh.shape[0]
    h = np.zeros((N, M))
    for t in range(T):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
