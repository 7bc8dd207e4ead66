"""sequence_forward adds the Dense bias once, after the loop, to the last step only."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"last_step_only"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo)
    outputs[-1] = outputs[-1] + bo
    return np.stack(outputs, axis=1)
