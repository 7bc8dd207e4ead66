"""sequence_forward collects the hidden states and forgets to apply the Dense layer to them."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"hidden_states"}
PUBLIC = ("Dense", "hidden states")


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    states = np.zeros((N, T, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states[:, t] = h
    return states
