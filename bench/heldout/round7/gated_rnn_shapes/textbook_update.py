"""gru_forward uses the textbook update h = (1 - z) * h + z * candidate, whereas Keras keeps the share z of the old state."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_z_swapped"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(a):
        return 1.0 / (1.0 + np.exp(-a))

    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    W_z, W_r, W_h = kernel[:, :M], kernel[:, M:2 * M], kernel[:, 2 * M:]
    U_z, U_r, U_h = recurrent_kernel[:, :M], recurrent_kernel[:, M:2 * M], recurrent_kernel[:, 2 * M:]
    if bias.ndim == 2:
        b, rb = bias[0], bias[1]
    else:
        b, rb = bias, np.zeros_like(bias)
    b_z, b_r, b_h = b[:M], b[M:2 * M], b[2 * M:]
    rb_z, rb_r, rb_h = rb[:M], rb[M:2 * M], rb[2 * M:]
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t]
        z = sigmoid(x @ W_z + b_z + h @ U_z + rb_z)
        r = sigmoid(x @ W_r + b_r + h @ U_r + rb_r)
        if bias.ndim == 2:
            h_tilde = np.tanh(x @ W_h + b_h + r * (h @ U_h + rb_h))
        else:
            h_tilde = np.tanh(x @ W_h + (r * h) @ U_h + b_h)
        h = (1 - z) * h + z * h_tilde
    return h @ Wo + bo
