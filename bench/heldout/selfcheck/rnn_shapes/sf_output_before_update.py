"""sequence_forward computes each step's output before updating h."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"one_step_early", "one_step_short"}
PUBLIC = ("one step late", "before")


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    ys = []
    for t in range(T):
        ys.append(h @ Wo + bo)
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return np.stack(ys, axis=1)
