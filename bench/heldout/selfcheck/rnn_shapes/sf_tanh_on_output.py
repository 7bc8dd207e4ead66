"""sequence_forward squashes the outputs with tanh too."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"tanh_output"}
PUBLIC = ("applied to the output",)


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    ys = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        ys.append(np.tanh(h @ Wo + bo))
    return np.stack(ys, axis=1)
