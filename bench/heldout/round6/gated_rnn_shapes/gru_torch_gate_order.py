"""gru_forward reads the packed gates in PyTorch's order [r|z|h], so the reset and update gates are swapped."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_order_rzh"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    b_x = bias[0] if reset_after else bias
    b_h = bias[1] if reset_after else np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        gx = X[:, t] @ kernel + b_x
        r = slice(0, M)
        z = slice(M, 2 * M)
        n = slice(2 * M, 3 * M)
        if reset_after:
            gh = h @ recurrent_kernel + b_h
            r_t = sigmoid(gx[:, r] + gh[:, r])
            z_t = sigmoid(gx[:, z] + gh[:, z])
            n_t = np.tanh(gx[:, n] + r_t * gh[:, n])
        else:
            gh = h @ recurrent_kernel[:, :2 * M]
            r_t = sigmoid(gx[:, r] + gh[:, r])
            z_t = sigmoid(gx[:, z] + gh[:, z])
            n_t = np.tanh(gx[:, n] + (r_t * h) @ recurrent_kernel[:, n])
        h = z_t * h + (1 - z_t) * n_t
    return h @ Wo + bo
