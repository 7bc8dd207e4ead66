"""manual_forward writes the math-book form Wh @ h (and x_t @ Wx): the recurrent kernel is transposed."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"recurrent_transposed"}
PUBLIC = ("transposed", "Wh @ h", "Wh.T")


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + Wh @ h + bh)
    return h @ Wo + bo
