"""manual_forward adds bh after the tanh: h = tanh(x_t @ Wx + h @ Wh) + bh."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"hidden_bias_outside"}
PUBLIC = ("outside",)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh) + bh
    return h @ Wo + bo
