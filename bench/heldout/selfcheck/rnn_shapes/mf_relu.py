"""manual_forward uses ReLU, the activation of the previous lab, instead of tanh."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"relu"}
PUBLIC = ("relu",)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for t in range(X.shape[0]):
        h = np.maximum(0, X[t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
