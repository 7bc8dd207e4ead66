"""batched_forward loops over range(1, T), so the first time step is never fed to the RNN."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"skips_first_step"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(1, T):
        h = np.tanh(X[:, t, :] @ Wx + h @ Wh + bh)
    out = h @ Wo + bo
    return out
