"""sequence_forward returns np.array of the list of steps: time-major (T, N, K)."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"time_major", "axes_order"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.array(outputs)
