"""gru_forward assumes the packed order r, z, h (reset gate first), so the update and reset gates are swapped."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_order_rzh"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    if reset_after:
        b_in, b_rec = bias[0], bias[1]
    else:
        b_in, b_rec = bias, np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        xw = X[:, t] @ kernel + b_in
        if reset_after:
            hu = h @ recurrent_kernel + b_rec
            r = sigmoid(xw[:, :M] + hu[:, :M])
            z = sigmoid(xw[:, M:2 * M] + hu[:, M:2 * M])
            cand = np.tanh(xw[:, 2 * M:] + r * hu[:, 2 * M:])
        else:
            hu = h @ recurrent_kernel[:, :2 * M]
            r = sigmoid(xw[:, :M] + hu[:, :M])
            z = sigmoid(xw[:, M:2 * M] + hu[:, M:])
            cand = np.tanh(xw[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * cand
    return h @ Wo + bo
