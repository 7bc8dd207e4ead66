"""gru_forward uses h = (1 - z) * h + z * candidate, the other textbook convention, instead of Keras' h = z * h + (1 - z) * candidate."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_z_swapped"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(a):
        return 1.0 / (1.0 + np.exp(-a))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        b_in, b_rec = bias[0], bias[1]
        reset_after = True
    else:
        b_in, b_rec = bias, np.zeros(3 * M)
        reset_after = False
    Wz, Wr, Wh = kernel[:, :M], kernel[:, M:2 * M], kernel[:, 2 * M:]
    Uz, Ur, Uh = recurrent_kernel[:, :M], recurrent_kernel[:, M:2 * M], recurrent_kernel[:, 2 * M:]
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t]
        z = sigmoid(x @ Wz + b_in[:M] + h @ Uz + b_rec[:M])
        r = sigmoid(x @ Wr + b_in[M:2 * M] + h @ Ur + b_rec[M:2 * M])
        if reset_after:
            hh = np.tanh(x @ Wh + b_in[2 * M:] + r * (h @ Uh + b_rec[2 * M:]))
        else:
            hh = np.tanh(x @ Wh + b_in[2 * M:] + (r * h) @ Uh)
        h = (1 - z) * h + z * hh
    return h @ Wo + bo
