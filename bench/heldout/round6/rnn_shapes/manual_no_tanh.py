"""manual_forward leaves out the tanh activation, so the hidden state is a purely linear recurrence."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"linear"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.dot(x_t, Wx) + np.dot(h, Wh) + bh
    y = np.dot(h, Wo) + bo
    return y
