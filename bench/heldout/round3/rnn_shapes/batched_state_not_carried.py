"""batched_forward stores each step in a new name and never carries the state: h stays zeros."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"no_recurrent"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h_t = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h_t @ Wo + bo
