"""batched_forward adds the Dense bias twice."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"constant_offset"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo + bo
