"""truncated_bptt_gradients reruns the last k steps from h = 0, as if the window were a new sequence."""
import numpy as np

QUESTION = "truncated_bptt_gradients"
ACCEPT = {"window_restarts_at_zero"}
PUBLIC = ("h = 0", "restart", "zero")


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    N, T, _ = X.shape
    k = min(k, T)
    Xw = X[:, T - k:]
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(k):
        hs.append(np.tanh(Xw[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[k] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(bh)
    dh = dy @ Wo.T
    for t in range(k, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += Xw[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[k].T @ dy, dy.sum(axis=0)
