"""bptt_gradients forgets the tanh derivative in the backward loop."""
import numpy as np

QUESTION = "bptt_gradients"
ACCEPT = {"no_tanh_derivative"}
PUBLIC = ("tanh's derivative",)


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(bh)
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        dWx += X[:, t - 1].T @ dh
        dWh += hs[t - 1].T @ dh
        dbh += dh.sum(axis=0)
        dh = dh @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)
