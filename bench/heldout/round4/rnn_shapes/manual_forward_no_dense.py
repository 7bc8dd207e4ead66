"""manual_forward returns the last hidden state h_T, shape (M,), without applying the Dense layer."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"hidden_states"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h
