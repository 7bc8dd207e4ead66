"""gru_forward unpacks the gates in PyTorch's order r, z, h (reset first) instead of Keras' z, r, h."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_order_rzh"}


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sigmoid = lambda a: 1 / (1 + np.exp(-a))
    N, T, _ = X.shape
    M = kernel.shape[1] // 3
    reset_after = bias.ndim == 2
    if reset_after:
        b_in, b_rec = bias
    else:
        b_in, b_rec = bias, np.zeros(3 * M)
    h = np.zeros((N, M))
    for t in range(T):
        gi = X[:, t] @ kernel + b_in
        i_r, i_z, i_n = gi[:, :M], gi[:, M:2 * M], gi[:, 2 * M:]
        r_w, z_w, n_w = (recurrent_kernel[:, k * M:(k + 1) * M] for k in range(3))
        r_b, z_b, n_b = b_rec[:M], b_rec[M:2 * M], b_rec[2 * M:]
        r = sigmoid(i_r + h @ r_w + r_b)
        z = sigmoid(i_z + h @ z_w + z_b)
        if reset_after:
            n = np.tanh(i_n + r * (h @ n_w + n_b))
        else:
            n = np.tanh(i_n + (r * h) @ n_w)
        h = z * h + (1 - z) * n
    return h @ Wo + bo
