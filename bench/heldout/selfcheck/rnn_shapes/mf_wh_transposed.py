"""manual_forward writes the recurrent term as Wh @ h."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"recurrent_transposed"}
PUBLIC = ("Wh is used transposed",)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + Wh @ h + bh)
    return h @ Wo + bo
