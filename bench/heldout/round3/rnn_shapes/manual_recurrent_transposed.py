"""manual_forward multiplies by the transposed recurrent kernel, h @ Wh.T (shapes still fit)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"recurrent_transposed"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh.T + bh)
    return h @ Wo + bo
