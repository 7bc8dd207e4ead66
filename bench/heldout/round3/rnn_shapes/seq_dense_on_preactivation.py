"""sequence_forward applies the Dense layer to the new state before tanh (the pre-activation) at each step."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"dense_on_preactivation"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        a = X[:, t] @ Wx + h @ Wh + bh
        h = np.tanh(a)
        outputs.append(a @ Wo + bo)
    return np.stack(outputs, axis=1)
