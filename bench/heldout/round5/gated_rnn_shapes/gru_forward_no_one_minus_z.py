"""gru_forward mixes the state as h = z * h + h_tilde, leaving out the (1 - z) factor on the candidate."""
import numpy as np

QUESTION = "gru_forward"
# gru_z_swapped is (1 - z) * h + z * h~, another mistake
ACCEPT = {'no_one_minus_z'}


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
    U_zr, U_h = recurrent_kernel[:, :2 * M], recurrent_kernel[:, 2 * M:]
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t] @ kernel + input_bias
        if reset_after:
            u = h @ recurrent_kernel + recurrent_bias
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:2 * M])
            h_tilde = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            u = h @ U_zr
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:])
            h_tilde = np.tanh(x[:, 2 * M:] + (r * h) @ U_h)
        h = z * h + h_tilde
    return h @ Wo + bo
