"""batched_forward starts its loop at t = 1 ("h_0 is the state before the first step")."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"skips_first_step"}
PUBLIC = ("first time step", "first step", "range(1")


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(1, T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
