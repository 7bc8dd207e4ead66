"""sequence_forward preallocates the outputs with np.zeros_like(X), shape (N, T, D) instead of (N, T, K): it raises when K is neither D nor 1, and returns the wrong shape when K == 1."""
import numpy as np

QUESTION = "sequence_forward"
# right only where D = K (both 1 here)
ACCEPT = {'output_like_input', 'right_where_sizes', 'right_where_sizes_equal'}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    Y = np.zeros_like(X)
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        Y[:, t] = h @ Wo + bo
    return Y
