"""sequence_forward appends the output before updating h: each output is a step late."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"one_step_early"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        outputs.append(h @ Wo + bo)
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return np.stack(outputs, axis=1)
