"""manual_forward applies tanh to the Dense output too, though the Dense layer is linear."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"tanh_output"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return np.tanh(h @ Wo + bo)
