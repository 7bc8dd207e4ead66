"""lstm_states returns (c, h), as some references order the states."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"states_swapped"}
PUBLIC = ("(c_T, h_T)",)


def lstm_states(X, kernel, recurrent_kernel, bias):
    def sig(z):
        return 1 / (1 + np.exp(-z))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = sig(z[:, :M]), sig(z[:, M:2 * M]), np.tanh(z[:, 2 * M:3 * M]), sig(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return c, h
