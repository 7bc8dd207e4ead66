"""manual_forward starts from np.zeros_like(X[0]), a (D,) vector instead of (M,): it raises whenever D != M (and is right only when D == M)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = None  # set later, by someone else, before grading


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    T = X.shape[0]
    h = np.zeros_like(X[0])
    for t in range(T):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    y = h @ Wo + bo
    return y
