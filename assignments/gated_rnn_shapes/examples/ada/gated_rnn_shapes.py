# A correct submission: per-sample loops, np.split and a sigmoid helper.
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def lstm_count_params(D, M, K):
    return 4 * (D * M + M * M + M) + M * K + K


def gru_count_params(D, M, K, reset_after=True):
    n_bias = 2 if reset_after else 1
    return 3 * (D * M + M * M + n_bias * M) + M * K + K


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    Ws = np.split(kernel, 4, axis=1)
    Us = np.split(recurrent_kernel, 4, axis=1)
    bs = np.split(bias, 4)
    return {g: (Ws[k], Us[k], bs[k]) for k, g in enumerate(["i", "f", "c", "o"])}


def lstm_states(X, kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    hs, cs = [], []
    for sample in X:
        h, c = np.zeros(M), np.zeros(M)
        for x_t in sample:
            i, f, g, o = np.split(x_t @ kernel + h @ recurrent_kernel + bias, 4)
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    h_T, c_T = lstm_states(X, kernel, recurrent_kernel, bias)
    return h_T @ Wo + bo


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    M = recurrent_kernel.shape[0]
    outputs = []
    for sample in X:
        h = np.zeros(M)
        for x_t in sample:
            if bias.ndim == 2:
                xz, xr, xh = np.split(x_t @ kernel + bias[0], 3)
                hz, hr, hh = np.split(h @ recurrent_kernel + bias[1], 3)
                z, r = sigmoid(xz + hz), sigmoid(xr + hr)
                candidate = np.tanh(xh + r * hh)
            else:
                xz, xr, xh = np.split(x_t @ kernel + bias, 3)
                Uz, Ur, Uh = np.split(recurrent_kernel, 3, axis=1)
                z, r = sigmoid(xz + h @ Uz), sigmoid(xr + h @ Ur)
                candidate = np.tanh(xh + (r * h) @ Uh)
            h = z * h + (1 - z) * candidate
        outputs.append(h @ Wo + bo)
    return np.array(outputs)
