"""manual_forward updates the state with h += tanh(...), adding each step's activation to the old state instead of replacing it."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = None  # set later, by someone else, before grading


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for t in range(len(X)):
        h += np.tanh(np.dot(X[t], Wx) + np.dot(h, Wh) + bh)
    out = np.dot(h, Wo) + bo
    return out
