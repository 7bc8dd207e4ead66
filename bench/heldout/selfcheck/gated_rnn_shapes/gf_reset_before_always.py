"""gru_forward applies the reset gate before the recurrent product for both layouts, summing the bias rows."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_reset_before_matmul", "gru_recurrent_bias_outside_reset"}
PUBLIC = ("with reset_after=True, the reset gate is applied before",)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sig(a):
        return 1 / (1 + np.exp(-a))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    b = bias.sum(axis=0) if bias.ndim == 2 else bias
    for t in range(T):
        x = X[:, t] @ kernel + b
        z = sig(x[:, :M] + h @ recurrent_kernel[:, :M])
        r = sig(x[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])
        hh = np.tanh(x[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
