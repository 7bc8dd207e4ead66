"""manual_forward writes the recurrent term in column-vector form Wh @ h, which applies Wh transposed."""
import numpy as np

QUESTION = "manual_forward"
# Wx.T @ x and Wo.T @ h are right; Wh @ h is h @ Wh.T
ACCEPT = {"recurrent_transposed"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for t in range(len(X)):
        h = np.tanh(Wx.T @ X[t] + Wh @ h + bh)
    return Wo.T @ h + bo
