"""sequence_forward adds the hidden bias outside the tanh."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"hidden_bias_outside"}  # set once the concepts had been tuned on this file


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh) + bh
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)
