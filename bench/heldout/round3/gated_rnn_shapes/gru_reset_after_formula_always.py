"""gru_forward always applies the reset gate after the recurrent product, r * (h @ U_h), even when reset_after=False."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_reset_after_for_1d_bias"}


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
        u = h @ recurrent_kernel + recurrent_bias
        z = sigmoid(x[:, :M] + u[:, :M])
        r = sigmoid(x[:, M:2 * M] + u[:, M:2 * M])
        candidate = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo
