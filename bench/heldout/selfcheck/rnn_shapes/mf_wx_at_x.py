"""manual_forward writes the input term as Wx @ x_t, as in the lecture's column-vector notation (raises unless D = M)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"input_kernel_transposed"}
PUBLIC = ("Wx is used transposed",)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(Wx @ x_t + h @ Wh + bh)
    return h @ Wo + bo
