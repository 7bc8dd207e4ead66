"""batched_forward keeps the single-sample loop `for x_t in X`, which iterates over the N samples (each (T, D)) instead of over the T steps; it raises a broadcasting error when N != T and gives wrong values when N == T."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = None  # set later, by someone else, before grading


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N = X.shape[0]
    M = Wh.shape[0]
    h = np.zeros((N, M))
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
