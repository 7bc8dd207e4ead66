"""manual_forward iterates over X[1:], skipping the first step."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"skips_first_step"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X[1:]:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
