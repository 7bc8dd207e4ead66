"""batched_forward makes X time-major with X.reshape(T, N, D) instead of a transpose, which scrambles samples and steps (wrong whenever N > 1 and T > 1)."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"input_reshaped"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wh.shape[0]
    X_time = X.reshape(T, N, D)  # one (N, D) slice per step
    h = np.zeros((N, M))
    for x_t in X_time:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
