"""bptt_gradients reads X[:, t] where hs[t] is the state after step t (X is 0-based): IndexError at t = T."""
import numpy as np

QUESTION = "bptt_gradients"
ACCEPT = set()
PUBLIC = ("X[:, t - 1]", "index", "off by one")


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(bh)
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)
