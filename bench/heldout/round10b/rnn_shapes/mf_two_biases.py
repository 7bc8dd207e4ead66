"""manual_forward adds bh twice, as PyTorch's RNN adds its two biases b_ih and b_hh."""

import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"hidden_bias_twice"}
PUBLIC = ("bh is added twice",)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + bh + h @ Wh + bh)
    return h @ Wo + bo
