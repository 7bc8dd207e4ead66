"""lstm_states computes the hidden state as h = o * c, forgetting the tanh on the cell state."""
import numpy as np

QUESTION = "lstm_states"
ACCEPT = {"no_tanh_on_c"}


def lstm_states(X, kernel, recurrent_kernel, bias):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    W_i, W_f, W_c, W_o = (kernel[:, k * M:(k + 1) * M] for k in range(4))
    U_i, U_f, U_c, U_o = (recurrent_kernel[:, k * M:(k + 1) * M] for k in range(4))
    b_i, b_f, b_c, b_o = (bias[k * M:(k + 1) * M] for k in range(4))
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        x = X[:, t]
        i = sigmoid(x @ W_i + h @ U_i + b_i)
        f = sigmoid(x @ W_f + h @ U_f + b_f)
        g = np.tanh(x @ W_c + h @ U_c + b_c)
        o = sigmoid(x @ W_o + h @ U_o + b_o)
        c = f * c + i * g
        h = o * c
    return h, c
