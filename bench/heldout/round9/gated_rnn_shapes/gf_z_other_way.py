"""gru_forward uses the textbook (Cho et al.) update h = (1 - z) * h + z * candidate."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_z_swapped", "z_swapped", "no_one_minus_z"}
PUBLIC = ("update gate", "1 - z", "z the other way")


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        bx, bh = bias[0], bias[1]
    else:
        bx, bh = bias, np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        xs = X[:, t] @ kernel + bx
        if bias.ndim == 2:
            hs = h @ recurrent_kernel + bh
            z = sig(xs[:, :M] + hs[:, :M])
            r = sig(xs[:, M:2 * M] + hs[:, M:2 * M])
            hh = np.tanh(xs[:, 2 * M:] + r * hs[:, 2 * M:])
        else:
            z = sig(xs[:, :M] + h @ recurrent_kernel[:, :M])
            r = sig(xs[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])
            hh = np.tanh(xs[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = (1 - z) * h + z * hh
    return h @ Wo + bo
