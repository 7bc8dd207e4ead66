"""lstm_forward feeds the final cell state c_T to the Dense layer instead of the hidden state h_T."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"dense_on_c"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    W_i, W_f, W_c, W_o = np.split(kernel, 4, axis=1)
    U_i, U_f, U_c, U_o = np.split(recurrent_kernel, 4, axis=1)
    b_i, b_f, b_c, b_o = np.split(bias, 4)
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        x = X[:, t, :]
        i = sigmoid(x @ W_i + h @ U_i + b_i)
        f = sigmoid(x @ W_f + h @ U_f + b_f)
        c_hat = np.tanh(x @ W_c + h @ U_c + b_c)
        o = sigmoid(x @ W_o + h @ U_o + b_o)
        c = f * c + i * c_hat
        h = o * np.tanh(c)
    return c @ Wo + bo
