"""gru_forward applies the reset gate before the product with U_h, (r * h) @ U_h + b'_h, also for reset_after=True, where Keras computes r * (h @ U_h + b'_h); only reset_after=True (the default) is affected."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_reset_before_matmul"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t] @ kernel + input_bias
        u = h @ recurrent_kernel[:, :2 * M] + recurrent_bias[:2 * M]
        z = sigmoid(x[:, :M] + u[:, :M])
        r = sigmoid(x[:, M:2 * M] + u[:, M:])
        h_tilde = np.tanh(x[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:] + recurrent_bias[2 * M:])
        h = z * h + (1 - z) * h_tilde
    return h @ Wo + bo
