"""lstm_states never adds the LSTM bias to the gate pre-activations."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"no_input_bias"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = np.einsum("nd,dk->nk", X[:, t], kernel) + np.einsum("nm,mk->nk", h, recurrent_kernel)
        i = sig(z[:, :M])
        f = sig(z[:, M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sig(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h, c
