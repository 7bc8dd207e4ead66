"""sequence_forward preallocates (N, T, K) but writes step t into out[t] instead of out[:, t]; it raises a broadcasting error unless N == T."""
import numpy as np

QUESTION = "sequence_forward"
# right only on the one check with N = T (= D = M = 1); sample_axis_as_time is about X[t], not the output
ACCEPT = {"right_where_sizes", "right_where_sizes_equal"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wh.shape[0]
    K = Wo.shape[1]
    out = np.zeros((N, T, K))
    h = np.zeros((N, M))
    for t in range(T):
        h = np.tanh(X[:, t, :] @ Wx + h @ Wh + bh)
        out[t] = h @ Wo + bo
    return out
