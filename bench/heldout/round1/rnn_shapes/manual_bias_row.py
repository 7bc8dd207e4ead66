"""manual_forward reshapes the hidden bias to (1, M), so h becomes (1, M) and the output (1, K)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"row_vector", "extra_axis_of_one"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    bh = bh.reshape(1, -1)
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
