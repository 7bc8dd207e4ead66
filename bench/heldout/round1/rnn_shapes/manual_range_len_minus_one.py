"""manual_forward loops over range(len(X) - 1)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"one_step_short"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for t in range(len(X) - 1):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
