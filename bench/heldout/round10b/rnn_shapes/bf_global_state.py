"""batched_forward keeps h in a global variable, set to zeros only on the first call: later calls start from the state the previous call ended with (where the shapes fit)."""

import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"nondeterministic", "unreset_state", "random_initial_state"}
PUBLIC = ("called again",)

h = None


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    global h
    N, T, _ = X.shape
    if h is None or h.shape != (N, Wh.shape[0]):
        h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
