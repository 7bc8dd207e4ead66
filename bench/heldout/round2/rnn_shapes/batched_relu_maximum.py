"""batched_forward uses np.maximum(0, .) as the hidden activation."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"relu"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.maximum(0, X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
