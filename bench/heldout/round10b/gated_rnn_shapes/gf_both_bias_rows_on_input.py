"""gru_forward (reset_after=True) adds both bias rows to the input term, so the reset gate does not scale the candidate's recurrent bias."""

import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_recurrent_bias_outside_reset"}
PUBLIC = ("outside the reset gate",)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    b = bias[0] + bias[1] if reset_after else bias
    h = np.zeros((N, M))
    for t in range(T):
        xs = X[:, t] @ kernel + b
        z = sig(xs[:, :M] + h @ recurrent_kernel[:, :M])
        r = sig(xs[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])
        if reset_after:
            hh = np.tanh(xs[:, 2 * M:] + r * (h @ recurrent_kernel[:, 2 * M:]))
        else:
            hh = np.tanh(xs[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
