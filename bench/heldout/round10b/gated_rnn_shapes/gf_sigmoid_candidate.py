"""gru_forward squashes the candidate with the sigmoid, like the gates, instead of tanh."""

import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"sigmoid_candidate"}
PUBLIC = ("candidate uses the sigmoid",)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        b_in, b_rec = bias
    else:
        b_in, b_rec = bias, None
    h = np.zeros((N, M))
    for t in range(T):
        xs = X[:, t] @ kernel + b_in
        if b_rec is not None:
            hs = h @ recurrent_kernel + b_rec
            z = sig(xs[:, :M] + hs[:, :M])
            r = sig(xs[:, M:2 * M] + hs[:, M:2 * M])
            hh = sig(xs[:, 2 * M:] + r * hs[:, 2 * M:])
        else:
            z = sig(xs[:, :M] + h @ recurrent_kernel[:, :M])
            r = sig(xs[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])
            hh = sig(xs[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
