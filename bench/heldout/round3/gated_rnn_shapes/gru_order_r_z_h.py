"""gru_forward reads the packed gates in textbook order r, z, h instead of Keras' z, r, h."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_order_rzh"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    if reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t] @ kernel + input_bias
        if reset_after:
            u = h @ recurrent_kernel + recurrent_bias
            r = sigmoid(x[:, :M] + u[:, :M])
            z = sigmoid(x[:, M:2 * M] + u[:, M:2 * M])
            candidate = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            u = h @ recurrent_kernel[:, :2 * M]
            r = sigmoid(x[:, :M] + u[:, :M])
            z = sigmoid(x[:, M:2 * M] + u[:, M:])
            candidate = np.tanh(x[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo
