"""batched_forward uses the logistic sigmoid as the activation."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"sigmoid"}
PUBLIC = ("sigmoid",)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = 1 / (1 + np.exp(-(X[:, t] @ Wx + h @ Wh + bh)))
    return h @ Wo + bo
