"""bptt_gradients keeps the states and pre-activations in lists filled in the forward loop, and takes dWh from the state the step made (states[t]) instead of the one it read."""

import numpy as np

QUESTION = "bptt_gradients"
ACCEPT = {"dWh_from_h_t"}
PUBLIC = ("current state h_t",)


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    M = Wh.shape[0]
    h = np.zeros((N, M))
    states = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    y_hat = h @ Wo + bo
    dy = 2 * (y_hat - y) / (N * y.shape[1])
    dWo, dbo = h.T @ dy, dy.sum(axis=0)
    dWx, dWh, dbh = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(bh)
    dh = dy @ Wo.T
    for t in reversed(range(T)):
        da = dh * (1 - states[t] ** 2)
        dWx += X[:, t].T @ da
        dWh += states[t].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, dWo, dbo
