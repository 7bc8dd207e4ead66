"""lstm_forward defines the sigmoid as 1 / (1 + exp(x)), dropping the minus sign, so every gate is sigmoid(-x)."""
import numpy as np

QUESTION = "lstm_forward"
# sigmoid(-x) for every gate: neither tanh_gates nor hard_sigmoid describes it
ACCEPT = {"sigmoid_sign"}


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(x))


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, D = X.shape
    M = kernel.shape[1] // 4
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    Z_in = np.einsum("ntd,dk->ntk", X, kernel) + bias  # (N, T, 4M)
    for t in range(T):
        z = Z_in[:, t] + h @ recurrent_kernel
        i = sigmoid(z[:, 0:M])
        f = sigmoid(z[:, M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
