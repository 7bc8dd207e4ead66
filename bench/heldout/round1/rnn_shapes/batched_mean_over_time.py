"""batched_forward applies the Dense layer to the mean of the hidden states over time."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"mean_over_time"}  # set once the concepts had been tuned on this file


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    states = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    return np.mean(states, axis=0) @ Wo + bo
