"""gradient_norms uses the sum of absolute values (L1) instead of the L2 norm."""
import numpy as np

QUESTION = "gradient_norms"
ACCEPT = set()
PUBLIC = ("L1", "absolute")


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = np.zeros(T)
    for t in range(T, 0, -1):
        norms[t - 1] = np.abs(dh).sum()
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return norms
