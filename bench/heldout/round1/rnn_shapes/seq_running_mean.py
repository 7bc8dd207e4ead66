"""sequence_forward returns at each step the Dense layer of the mean of the hidden states so far."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"first_step_only"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    total = np.zeros_like(h)
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        total = total + h
        outputs.append(total / (t + 1) @ Wo + bo)
    return np.stack(outputs, axis=1)
