"""sequence_forward computes the last output and repeats it at every step."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"last_step_only"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    y = h @ Wo + bo
    return np.repeat(y[:, None, :], T, axis=1)
