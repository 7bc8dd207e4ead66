"""sequence_forward reads the inputs as X[:, -t - 1]: the steps run backwards."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"reversed_time"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    ys = []
    for t in range(T):
        h = np.tanh(X[:, -t - 1] @ Wx + h @ Wh + bh)
        ys.append(h @ Wo + bo)
    return np.stack(ys, axis=1)
