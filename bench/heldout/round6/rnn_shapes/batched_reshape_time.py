"""batched_forward makes X time-major with X.reshape(T, N, D) instead of a transpose, scrambling samples and steps."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"input_reshaped"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    X_time_major = X.reshape(T, N, D)
    h = np.zeros((N, Wh.shape[0]))
    for x_t in X_time_major:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo
