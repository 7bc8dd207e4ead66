"""lstm_states computes the hidden state as h = o * c, leaving out the tanh of the cell state."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"no_tanh_on_c"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    W = {g: kernel[:, k * M:(k + 1) * M] for k, g in enumerate("ifco")}
    U = {g: recurrent_kernel[:, k * M:(k + 1) * M] for k, g in enumerate("ifco")}
    b = {g: bias[k * M:(k + 1) * M] for k, g in enumerate("ifco")}
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        x = X[:, t]
        i = sig(x @ W["i"] + h @ U["i"] + b["i"])
        f = sig(x @ W["f"] + h @ U["f"] + b["f"])
        c_hat = np.tanh(x @ W["c"] + h @ U["c"] + b["c"])
        o = sig(x @ W["o"] + h @ U["o"] + b["o"])
        c = f * c + i * c_hat
        h = o * c
    return h, c
