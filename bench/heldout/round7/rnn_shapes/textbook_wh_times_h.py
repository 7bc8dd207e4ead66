"""manual_forward writes the textbook's W_h h, computing Wh @ h instead of h @ Wh, which uses the transpose of Keras' recurrent kernel."""
import numpy as np

QUESTION = "manual_forward"
# Wx.T @ x and Wo.T @ h are right; Wh @ h is h @ Wh.T
ACCEPT = {"recurrent_transposed"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    # h_t = tanh(W_x x_t + W_h h_{t-1} + b)
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(Wx.T @ x_t + Wh @ h + bh)
    return Wo.T @ h + bo
