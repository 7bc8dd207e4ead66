"""gru_forward computes r but never uses it: the candidate reads the full recurrent term h @ U_h (plus its bias) without the reset gate, in both bias layouts."""
import numpy as np

QUESTION = "gru_forward"
# no entry for an unused reset gate
ACCEPT = {'reset_gate_unused'}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        b_in, b_rec = bias[0], bias[1]
    else:
        b_in, b_rec = bias, np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        xk = X[:, t] @ kernel + b_in
        hk = h @ recurrent_kernel + b_rec
        z = sigmoid(xk[:, :M] + hk[:, :M])
        r = sigmoid(xk[:, M:2 * M] + hk[:, M:2 * M])
        h_tilde = np.tanh(xk[:, 2 * M:] + hk[:, 2 * M:])
        h = z * h + (1 - z) * h_tilde
    return h @ Wo + bo
