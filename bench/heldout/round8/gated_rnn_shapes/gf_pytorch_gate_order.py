"""gru_forward reads the reset gate from the first column block and the update gate from the second (PyTorch's r, z, n packing), swapping z and r."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_order_rzh"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        b_in, b_rec = bias[0], bias[1]
    else:
        b_in, b_rec = bias, np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        gx = X[:, t] @ kernel + b_in
        gh = h @ recurrent_kernel + b_rec
        r = sigmoid(gx[:, :M] + gh[:, :M])
        z = sigmoid(gx[:, M:2 * M] + gh[:, M:2 * M])
        if bias.ndim == 2:
            n = np.tanh(gx[:, 2 * M:] + r * gh[:, 2 * M:])
        else:
            n = np.tanh(gx[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * n
    return h @ Wo + bo
