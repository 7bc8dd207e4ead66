"""gru_forward handles only the reset_after=True layout (a bias of two rows)."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_only_two_row_bias", "gru_reset_after_for_1d_bias", "gru_bias_rows_indexed"}
PUBLIC = ("fails only with reset_after=False", "with reset_after=False, the reset gate is applied after")


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sig(a):
        return 1 / (1 + np.exp(-a))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    bi, br = bias[0], bias[1]
    for t in range(T):
        x = X[:, t] @ kernel + bi
        u = h @ recurrent_kernel + br
        z = sig(x[:, :M] + u[:, :M])
        r = sig(x[:, M:2 * M] + u[:, M:2 * M])
        hh = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
