"""sequence_forward feeds the Dense layer the pre-activation instead of h."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"dense_on_preactivation"}
PUBLIC = ("before the tanh", "pre-activation")


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    ys = []
    for t in range(T):
        a = X[:, t] @ Wx + h @ Wh + bh
        h = np.tanh(a)
        ys.append(a @ Wo + bo)
    return np.stack(ys, axis=1)
