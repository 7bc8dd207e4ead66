"""manual_forward starts from np.zeros_like(X[0]), a (D,) vector instead of (M,): it raises whenever D != M (and is right only when D == M)."""
import numpy as np

QUESTION = "manual_forward"
# right only where D = M; hidden_size_5 is right where M = 5, another mistake
ACCEPT = {"right_where_sizes_equal", "right_where_sizes"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    T = X.shape[0]
    h = np.zeros_like(X[0])
    for t in range(T):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    y = h @ Wo + bo
    return y
