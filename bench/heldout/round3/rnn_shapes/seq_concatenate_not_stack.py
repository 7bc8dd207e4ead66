"""sequence_forward joins the steps with np.concatenate(axis=1), giving (N, T*K) instead of (N, T, K)."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"values_rearranged"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.concatenate(outputs, axis=1)
