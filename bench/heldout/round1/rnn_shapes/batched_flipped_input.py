"""batched_forward flips the input in time before the loop."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"reversed_time"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    X = X[:, ::-1]
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
