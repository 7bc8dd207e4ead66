"""lstm_forward swaps the roles of the input and forget gates in the cell update: c = i * c + f * g."""
import numpy as np

QUESTION = "lstm_forward"
# c = i * c + f * g uses block 0 as the forget gate and block 1 as the input gate: order_fico computes the same
ACCEPT = {"order_fico"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h, c = np.zeros((N, M)), np.zeros((N, M))
    for t in range(T):
        gates = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(gates[:, :M])
        f = sigmoid(gates[:, M:2 * M])
        c_tilde = np.tanh(gates[:, 2 * M:3 * M])
        o = sigmoid(gates[:, 3 * M:])
        c = i * c + f * c_tilde
        h = o * np.tanh(c)
    return h @ Wo + bo
