"""sequence_forward loops over samples with einsum and never resets h."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"unreset_state", "first_sample_only"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    result = np.empty((X.shape[0], X.shape[1], bo.shape[0]))
    for n in range(X.shape[0]):
        for t in range(X.shape[1]):
            h = np.tanh(np.einsum("d,dm->m", X[n, t], Wx) + np.einsum("m,mk->k", h, Wh) + bh)
            result[n, t] = np.einsum("m,mk->k", h, Wo) + bo
    return result
