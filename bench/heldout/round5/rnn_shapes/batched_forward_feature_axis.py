"""batched_forward takes step t as X[:, :, t], the t-th feature of every step, instead of X[:, t]; it raises unless T == D."""
import numpy as np

QUESTION = "batched_forward"
# raises unless T = D; right only on the one check with T = D (= N = M = 1)
ACCEPT = {"right_where_sizes", "right_where_sizes_equal"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wh.shape[0]
    h = np.zeros((N, M))
    for t in range(T):
        x_t = X[:, :, t]
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
