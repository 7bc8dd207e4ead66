"""manual_forward uses a sigmoid as the hidden activation."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"sigmoid"}  # set once the concepts had been tuned on this file


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = 1 / (1 + np.exp(-(x_t @ Wx + h @ Wh + bh)))
    return h @ Wo + bo
