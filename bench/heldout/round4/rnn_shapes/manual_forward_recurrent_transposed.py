"""manual_forward writes the recurrence textbook-style as Wh @ h, which uses the transpose of Keras' recurrent kernel (Keras computes h @ Wh)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"recurrent_transposed"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    T = X.shape[0]
    M = Wh.shape[0]
    h = np.zeros(M)
    for t in range(T):
        x_t = X[t]
        h = np.tanh(x_t @ Wx + Wh @ h + bh)
    y = h @ Wo + bo
    return y
