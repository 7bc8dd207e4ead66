"""lstm_states loops over samples with 1-D states and never resets them."""
import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))

QUESTION = "lstm_states"
ACCEPT = {"state_not_reset"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    h, c = np.zeros(M), np.zeros(M)
    hs, cs = [], []
    for x in X:
        for x_t in x:
            i, f, g, o = np.split(x_t @ kernel + h @ recurrent_kernel + bias, 4)
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)
