"""lstm_forward initialises the cell state c = 0 inside the time loop, so the cell state is reset at every step instead of carried over."""
import numpy as np

QUESTION = "lstm_forward"
# no entry for a cell state reset at every step; right only where T = 1
ACCEPT = {"right_where_size_one", "right_where_sizes", "c_reset_each_step"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    for t in range(T):
        c = np.zeros((N, M))
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, :M])
        f = sigmoid(z[:, M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
