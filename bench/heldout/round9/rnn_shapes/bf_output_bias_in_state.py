"""batched_forward adds bo inside the recurrence instead of bh (a typo): raises unless K = M."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = set()
PUBLIC = ("bo", "output bias")


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bo)
    return h @ Wo + bo
