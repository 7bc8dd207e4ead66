"""gru_forward uses the textbook update h = (1 - z) * h + z * h_tilde, the opposite of Keras' h = z * h + (1 - z) * h_tilde."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_z_swapped"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    Wz, Wr, Wh = np.split(kernel, 3, axis=1)
    Uz, Ur, Uh = np.split(recurrent_kernel, 3, axis=1)
    if bias.ndim == 2:
        bz, br, bh = np.split(bias[0], 3)
        rbz, rbr, rbh = np.split(bias[1], 3)
    else:
        bz, br, bh = np.split(bias, 3)
        rbz = rbr = rbh = np.zeros(M)
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t]
        z = sigmoid(x @ Wz + bz + h @ Uz + rbz)
        r = sigmoid(x @ Wr + br + h @ Ur + rbr)
        if bias.ndim == 2:
            h_tilde = np.tanh(x @ Wh + bh + r * (h @ Uh + rbh))
        else:
            h_tilde = np.tanh(x @ Wh + (r * h) @ Uh + bh)
        h = (1 - z) * h + z * h_tilde
    return h @ Wo + bo
