"""gru_forward always applies the reset gate before the recurrent matmul, (r * h) @ U_h, even for the reset_after=True bias layout (wrong only for reset_after=True, Keras' default)."""
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
        xp = X[:, t] @ kernel + input_bias
        up = h @ recurrent_kernel[:, :2 * M] + recurrent_bias[:2 * M]
        z = sigmoid(xp[:, :M] + up[:, :M])
        r = sigmoid(xp[:, M:2 * M] + up[:, M:])
        cand = np.tanh(xp[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:] + recurrent_bias[2 * M:])
        h = z * h + (1 - z) * cand
    return h @ Wo + bo
