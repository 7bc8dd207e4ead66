"""manual_forward returns the output of every step, (T, K)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"every_step"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    ys = []
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
        ys.append(h @ Wo + bo)
    return np.array(ys)
