"""batched_forward loops over range(T - 1), thinking the last step is the output step."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"one_step_short"}
PUBLIC = ("last time step", "last step", "T - 1", "T-1", "one step")


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T - 1):
        h = np.tanh(X[:, t, :] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
