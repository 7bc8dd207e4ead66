"""gru_forward uses tanh for the gates z and r."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"tanh_gates"}  # set once the concepts had been tuned on this file


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    b_in, b_rec = (bias[0], bias[1]) if bias.ndim == 2 else (bias, np.zeros(3 * M))
    h = np.zeros((N, M))
    for t in range(T):
        a = X[:, t] @ kernel + b_in
        u = h @ recurrent_kernel + b_rec
        z, r = np.tanh(a[:, :M] + u[:, :M]), np.tanh(a[:, M:2 * M] + u[:, M:2 * M])
        if bias.ndim == 2:
            cand = np.tanh(a[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            cand = np.tanh(a[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * cand
    return h @ Wo + bo
