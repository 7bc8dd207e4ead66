"""gru_forward multiplies the whole candidate pre-activation by r, tanh(r * (x W_h + h U_h + b)), so the reset gate also scales the input part (both bias layouts)."""
import numpy as np

QUESTION = "gru_forward"
# no entry for r scaling the input part too
ACCEPT = {'reset_whole_preactivation'}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sigmoid = lambda a: 1.0 / (1.0 + np.exp(-a))
    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    Wz, Wr, Wh = kernel[:, :M], kernel[:, M:2 * M], kernel[:, 2 * M:]
    Uz, Ur, Uh = recurrent_kernel[:, :M], recurrent_kernel[:, M:2 * M], recurrent_kernel[:, 2 * M:]
    if bias.ndim == 2:
        bx, bh = bias[0], bias[1]
    else:
        bx, bh = bias, np.zeros_like(bias)
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t]
        z = sigmoid(x @ Wz + bx[:M] + h @ Uz + bh[:M])
        r = sigmoid(x @ Wr + bx[M:2 * M] + h @ Ur + bh[M:2 * M])
        h_hat = np.tanh(r * (x @ Wh + bx[2 * M:] + h @ Uh + bh[2 * M:]))
        h = z * h + (1 - z) * h_hat
    return h @ Wo + bo
