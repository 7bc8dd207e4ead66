"""manual_forward with np.dot everywhere, and the Dense bias forgotten."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"no_output_bias"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(len(bh))
    for t in range(X.shape[0]):
        h = np.tanh(np.dot(X[t], Wx) + np.dot(h, Wh) + bh)
    return np.dot(h, Wo)
