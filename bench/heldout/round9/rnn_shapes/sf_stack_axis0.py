"""sequence_forward stacks the step outputs with np.stack(outputs) (axis 0): shape (T, N, K)."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"time_major"}
PUBLIC = ("time-major", "(T, N, K)", "axis")


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outs.append(h @ Wo + bo)
    return np.array(outs)
