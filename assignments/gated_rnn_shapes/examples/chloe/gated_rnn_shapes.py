# Everything right but the GRU's update: z weights the new candidate, as Wikipedia writes it.
import numpy as np


def lstm_count_params(D, M, K):
    return 4 * M * (D + M + 1) + K * (M + 1)


def gru_count_params(D, M, K, reset_after=True):
    bias = 6 * M if reset_after else 3 * M
    return 3 * M * (D + M) + bias + K * (M + 1)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    out = {}
    for k, name in enumerate("ifco"):
        out[name] = (kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
    return out


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        a = X[:, t, :] @ kernel + h @ recurrent_kernel + bias
        i = 1 / (1 + np.exp(-a[:, :M]))
        f = 1 / (1 + np.exp(-a[:, M:2 * M]))
        g = np.tanh(a[:, 2 * M:3 * M])
        o = 1 / (1 + np.exp(-a[:, 3 * M:]))
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo


def lstm_states(X, kernel, recurrent_kernel, bias):
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        a = X[:, t, :] @ kernel + h @ recurrent_kernel + bias
        i = 1 / (1 + np.exp(-a[:, :M]))
        f = 1 / (1 + np.exp(-a[:, M:2 * M]))
        g = np.tanh(a[:, 2 * M:3 * M])
        o = 1 / (1 + np.exp(-a[:, 3 * M:]))
        c = f * c + i * g
        h = o * np.tanh(c)
    return h, c


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        b_x, b_h = bias[0], bias[1]
    else:
        b_x, b_h = bias, None
    h = np.zeros((N, M))
    for t in range(T):
        ax = X[:, t, :] @ kernel + b_x
        if b_h is not None:
            ah = h @ recurrent_kernel + b_h
            z = 1 / (1 + np.exp(-(ax[:, :M] + ah[:, :M])))
            r = 1 / (1 + np.exp(-(ax[:, M:2 * M] + ah[:, M:2 * M])))
            h_new = np.tanh(ax[:, 2 * M:] + r * ah[:, 2 * M:])
        else:
            z = 1 / (1 + np.exp(-(ax[:, :M] + h @ recurrent_kernel[:, :M])))
            r = 1 / (1 + np.exp(-(ax[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])))
            h_new = np.tanh(ax[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = (1 - z) * h + z * h_new
    return h @ Wo + bo
