"""lstm_states adds the candidate to the cell state without the input gate: c = f * c + g."""
import numpy as np

QUESTION = "lstm_states"
# c = f * c + g: forget_ignored is the other gate
ACCEPT = {'input_gate_ignored'}


def lstm_states(X, kernel, recurrent_kernel, bias):
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    N, T, _ = X.shape
    M = kernel.shape[1] // 4
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        zi, zf, zc, zo = np.split(X[:, t] @ kernel + h @ recurrent_kernel + bias, 4, axis=1)
        i, f, o = sig(zi), sig(zf), sig(zo)
        g = np.tanh(zc)
        c = f * c + g
        h = o * np.tanh(c)
    return h, c
