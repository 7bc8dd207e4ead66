"""sequence_forward forgets the tanh."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"linear"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    ys = []
    for t in range(X.shape[1]):
        h = X[:, t] @ Wx + h @ Wh + bh
        ys.append(h @ Wo + bo)
    return np.stack(ys, axis=1)
