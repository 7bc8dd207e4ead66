"""manual_forward loops over range(1, T), following t = 1..T of the formula, and so skips the first time step X[0]."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"skips_first_step"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    T, D = X.shape
    h = np.zeros(Wx.shape[1])
    for t in range(1, T):
        h = np.tanh(np.dot(X[t], Wx) + np.dot(h, Wh) + bh)
    return np.dot(h, Wo) + bo
