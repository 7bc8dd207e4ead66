"""gru_forward applies r to h before the matmul in both layouts (the reset_after=False formula everywhere)."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_reset_before_matmul"}
PUBLIC = ("before the", "reset_after", "r * h")


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        bx, bh = bias[0], bias[1]
    else:
        bx, bh = bias, np.zeros(3 * M)
    Uz, Ur, Uh = recurrent_kernel[:, :M], recurrent_kernel[:, M:2 * M], recurrent_kernel[:, 2 * M:]
    h = np.zeros((N, M))
    for t in range(T):
        xs = X[:, t] @ kernel + bx
        z = sig(xs[:, :M] + h @ Uz + bh[:M])
        r = sig(xs[:, M:2 * M] + h @ Ur + bh[M:2 * M])
        hh = np.tanh(xs[:, 2 * M:] + (r * h) @ Uh + bh[2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
