"""gru_forward adds the two bias rows together (bias.sum(axis=0)) to the input part when reset_after=True, so the candidate's recurrent bias is no longer scaled by r (the reset_after=False layout is right)."""
import numpy as np

QUESTION = "gru_forward"
# summing the rows only moves b_rec of the candidate outside r: the same outputs
ACCEPT = {"gru_recurrent_bias_outside_reset"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    b = bias.sum(axis=0) if reset_after else bias  # one bias vector of 3M
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t] @ kernel + b
        if reset_after:
            u = h @ recurrent_kernel
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:2 * M])
            h_hat = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            u = h @ recurrent_kernel[:, :2 * M]
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:])
            h_hat = np.tanh(x[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * h_hat
    return h @ Wo + bo
