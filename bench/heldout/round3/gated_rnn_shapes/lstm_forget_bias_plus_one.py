"""lstm_forward adds 1 to the forget gate's pre-activation (unit_forget_bias applied again by hand)."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"forget_bias_plus_one"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, :M])
        f = sigmoid(z[:, M:2 * M] + 1.0)
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
