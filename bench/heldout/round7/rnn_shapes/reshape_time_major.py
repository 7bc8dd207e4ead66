"""batched_forward makes the input time-major with X.reshape(T, N, D) instead of a transpose, which scrambles samples and steps."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"input_reshaped"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    X_time = X.reshape(T, N, D)  # one (N, D) slice per time step
    h = np.zeros((N, Wh.shape[0]))
    for x_t in X_time:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
