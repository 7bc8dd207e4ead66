"""batched_forward keeps the single-sample loop `for x_t in X`, which iterates over the N samples (each (T, D)) instead of over the T steps; it raises a broadcasting error when N != T and gives wrong values when N == T."""
import numpy as np

QUESTION = "batched_forward"
# the sample axis taken as the time axis; right_where_sizes_equal only as 'N = T' (the one case it passes has N = T = 1)
ACCEPT = {"sample_axis_as_time", "right_where_sizes_equal", "iterates_samples"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N = X.shape[0]
    M = Wh.shape[0]
    h = np.zeros((N, M))
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
