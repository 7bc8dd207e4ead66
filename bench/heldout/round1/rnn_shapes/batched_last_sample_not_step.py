"""batched_forward keeps the states of every step, then takes H[-1]: the last sample, not the last step."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"last_sample_every_step"}  # set once the concepts had been tuned on this file


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    states = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    H = np.stack(states, axis=1)
    return H[-1] @ Wo + bo
