"""lstm_states updates the hidden state before the cell state, so h_t = o * tanh(c_{t-1}) uses the previous step's cell."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"h_from_old_c"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        pre = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sig(pre[:, :M])
        f = sig(pre[:, M:2 * M])
        c_tilde = np.tanh(pre[:, 2 * M:3 * M])
        o = sig(pre[:, 3 * M:])
        h = o * np.tanh(c)
        c = f * c + i * c_tilde
    return h, c
