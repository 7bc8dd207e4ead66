"""manual_forward loops over range(X.shape[1]), the D features, instead of the T steps."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"steps_range_D"}  # set once the concepts had been tuned on this file


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for t in range(X.shape[1]):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
