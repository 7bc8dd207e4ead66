"""batched_forward forgets the activation: the state is a plain linear recurrence."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"linear"}
PUBLIC = ("tanh is left out",)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = X[:, t] @ Wx + h @ Wh + bh
    return h @ Wo + bo
