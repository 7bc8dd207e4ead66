"""bptt_gradients sets dWx, dWh and dbh at each step going back (dWx = ...) instead of adding to them: only the first step's term is left."""

import numpy as np

QUESTION = "bptt_gradients"
ACCEPT = {"assigned_not_added", "all_zero"}
PUBLIC = ("assigned (=)",)


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx = X[:, t - 1].T @ da
        dWh = hs[t - 1].T @ da
        dbh = da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)
