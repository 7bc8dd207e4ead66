"""sequence_forward runs the loop from the last step to the first and stores outputs as it goes."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"reversed_time"}
PUBLIC = ("backwards", "reversed")


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outs = []
    for t in range(T - 1, -1, -1):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outs.append(h @ Wo + bo)
    return np.stack(outs, axis=1)
