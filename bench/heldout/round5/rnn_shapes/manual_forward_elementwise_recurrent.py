"""manual_forward multiplies the state by the recurrent kernel elementwise, h * Wh, instead of h @ Wh, so h becomes (M, M) and the output (M, K)."""
import numpy as np

QUESTION = "manual_forward"
# (M, K) outputs, no entry or finding says h * Wh
ACCEPT = {'recurrent_elementwise'}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    M = Wh.shape[0]
    h = np.zeros(M)
    for x_t in X:
        h = np.tanh(x_t @ Wx + h * Wh + bh)
    return h @ Wo + bo
