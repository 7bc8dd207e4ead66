"""gru_forward's gates use Keras 3's hard_sigmoid, relu6(x + 3) / 6, instead of the sigmoid."""

import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"hard_sigmoid_keras3"}
PUBLIC = ("hard sigmoid",)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    gate = lambda z: np.minimum(np.maximum(z + 3, 0), 6) / 6  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    b_in, b_rec = (bias[0], bias[1]) if bias.ndim == 2 else (bias, None)
    h = np.zeros((N, M))
    for t in range(T):
        xs = X[:, t] @ kernel + b_in
        if b_rec is not None:
            hs = h @ recurrent_kernel + b_rec
            z = gate(xs[:, :M] + hs[:, :M])
            r = gate(xs[:, M:2 * M] + hs[:, M:2 * M])
            hh = np.tanh(xs[:, 2 * M:] + r * hs[:, 2 * M:])
        else:
            z = gate(xs[:, :M] + h @ recurrent_kernel[:, :M])
            r = gate(xs[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])
            hh = np.tanh(xs[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
