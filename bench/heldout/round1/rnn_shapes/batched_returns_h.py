"""batched_forward returns the last hidden state, forgetting the Dense layer."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"hidden_states"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h
