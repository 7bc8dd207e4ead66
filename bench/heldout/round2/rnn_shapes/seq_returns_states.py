"""sequence_forward stacks the hidden states and forgets the Dense layer."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"hidden_states"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    states = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    return np.stack(states, axis=1)
