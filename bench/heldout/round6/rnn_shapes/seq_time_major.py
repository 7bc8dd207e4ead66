"""sequence_forward builds the result with np.array(outputs), which is time-major (T, N, K) instead of (N, T, K)."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"time_major", "axes_order", "values_rearranged"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        y_t = h @ Wo + bo
        outputs.append(y_t)
    return np.array(outputs)
