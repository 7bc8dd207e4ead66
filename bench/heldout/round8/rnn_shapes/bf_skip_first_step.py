"""batched_forward loops over range(1, T), following the 1-based t = 1..T of the formula, and so skips the first time step."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"skips_first_step"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(1, T):
        h = np.tanh(np.einsum("nd,dm->nm", X[:, t, :], Wx) + np.einsum("nm,mk->nk", h, Wh) + bh)
    return np.einsum("nm,mk->nk", h, Wo) + bo
