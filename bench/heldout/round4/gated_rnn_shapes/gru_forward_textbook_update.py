"""gru_forward uses the textbook update h = (1 - z) * h + z * h_tilde instead of Keras' h = z * h + (1 - z) * h_tilde."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_z_swapped"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    W_z, W_r, W_h = kernel[:, :M], kernel[:, M:2 * M], kernel[:, 2 * M:]
    U_z, U_r, U_h = recurrent_kernel[:, :M], recurrent_kernel[:, M:2 * M], recurrent_kernel[:, 2 * M:]
    if bias.ndim == 2:
        b, b_rec = bias[0], bias[1]
    else:
        b, b_rec = bias, np.zeros_like(bias)
    b_z, b_r, b_h = b[:M], b[M:2 * M], b[2 * M:]
    br_z, br_r, br_h = b_rec[:M], b_rec[M:2 * M], b_rec[2 * M:]
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t]
        z = sigmoid(x @ W_z + b_z + h @ U_z + br_z)
        r = sigmoid(x @ W_r + b_r + h @ U_r + br_r)
        if bias.ndim == 2:
            h_tilde = np.tanh(x @ W_h + b_h + r * (h @ U_h + br_h))
        else:
            h_tilde = np.tanh(x @ W_h + (r * h) @ U_h + b_h)
        h = (1 - z) * h + z * h_tilde
    return h @ Wo + bo
