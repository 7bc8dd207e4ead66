"""sequence_forward writes the step as tanh((x_t @ Wx + bh) + (h @ Wh + bh)): the hidden bias is added twice."""

import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"hidden_bias_twice"}
PUBLIC = ("bh is added twice",)


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh((X[:, t] @ Wx + bh) + (h @ Wh + bh))
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)
