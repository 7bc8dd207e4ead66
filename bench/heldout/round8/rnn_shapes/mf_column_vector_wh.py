"""manual_forward multiplies the recurrent kernel in textbook column-vector order, Wh @ h, which uses Wh transposed (Keras computes h @ Wh)."""
import numpy as np

QUESTION = "manual_forward"
# Wx.T @ x and Wo.T @ h are right; Wh @ h is h @ Wh.T
ACCEPT = {"recurrent_transposed"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        # h_t = tanh(W_xh x_t + W_hh h_{t-1} + b)
        h = np.tanh(Wx.T @ x_t + Wh @ h + bh)
    return Wo.T @ h + bo
