"""batched_forward takes X[t] (sample t, shape (T, D)) as the step input instead of X[:, t] (step t of every sample)."""
import numpy as np

QUESTION = "batched_forward"
# X[t] is sample t: raises unless N or T is 1; right only on the one check with N = T (all sizes 1)
ACCEPT = {"sample_axis_as_time", "right_where_sizes", "right_where_sizes_equal"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wh.shape[0]
    h = np.zeros((N, M))
    for t in range(T):
        x_t = X[t]
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
