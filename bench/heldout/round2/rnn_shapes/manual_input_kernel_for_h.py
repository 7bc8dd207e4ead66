"""manual_forward multiplies the hidden state by Wx instead of Wh (raises when D != M)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"input_kernel_for_recurrent"}  # set once the concepts had been tuned on this file


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wx + bh)
    return h @ Wo + bo
