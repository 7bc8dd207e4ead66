"""gru_forward processes the samples one by one and never resets h (reset_after handled)."""
import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))

QUESTION = "gru_forward"
ACCEPT = {"state_not_reset", "first_sample_only"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    M = recurrent_kernel.shape[0]
    b_in, b_rec = (bias[0], bias[1]) if bias.ndim == 2 else (bias, np.zeros(3 * M))
    h = np.zeros(M)
    out = []
    for x in X:
        for x_t in x:
            a = x_t @ kernel + b_in
            if bias.ndim == 2:
                u = h @ recurrent_kernel + b_rec
                z, r = _sigmoid(a[:M] + u[:M]), _sigmoid(a[M:2 * M] + u[M:2 * M])
                hh = np.tanh(a[2 * M:] + r * u[2 * M:])
            else:
                u = h @ recurrent_kernel[:, :2 * M]
                z, r = _sigmoid(a[:M] + u[:M]), _sigmoid(a[M:2 * M] + u[M:])
                hh = np.tanh(a[2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
            h = z * h + (1 - z) * hh
        out.append(h @ Wo + bo)
    return np.array(out)
