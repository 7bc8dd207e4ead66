"""gru_forward reads the blocks in the order r, z, h (PyTorch's order), not Keras' z, r, h."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_order_rzh"}
PUBLIC = ("order r, z, h",)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sig(a):
        return 1 / (1 + np.exp(-a))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    if bias.ndim == 2:
        bi, br = bias[0], bias[1]
    else:
        bi, br = bias, np.zeros_like(bias)
    for t in range(T):
        x = X[:, t] @ kernel + bi
        u = h @ recurrent_kernel + br
        r = sig(x[:, :M] + u[:, :M])
        z = sig(x[:, M:2 * M] + u[:, M:2 * M])
        if bias.ndim == 2:
            hh = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            hh = np.tanh(x[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
