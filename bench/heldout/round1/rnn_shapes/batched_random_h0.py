"""batched_forward starts from a random hidden state instead of zeros."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"nondeterministic"}  # set once the concepts had been tuned on this file


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.random.randn(N, Wh.shape[0]) * 0.1
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
