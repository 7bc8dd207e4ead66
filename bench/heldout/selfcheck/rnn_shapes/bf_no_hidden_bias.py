"""batched_forward forgets the hidden bias bh inside the tanh."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"no_hidden_bias", "constant_offset"}
PUBLIC = ("bias bh",)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t, :] @ Wx + h @ Wh)
    return h @ Wo + bo
