"""gru_forward adds the whole bias to x_t @ kernel as if it were (3M,): with Keras' default (2, 3M) bias it raises."""
import numpy as np

QUESTION = "gru_forward"
ACCEPT = {"gru_only_one_row_bias"}
PUBLIC = ("(2, 3M)", "reset_after", "two rows", "bias rows")


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    for t in range(T):
        xs = X[:, t] @ kernel + bias
        z = sig(xs[:, :M] + h @ recurrent_kernel[:, :M])
        r = sig(xs[:, M:2 * M] + h @ recurrent_kernel[:, M:2 * M])
        hh = np.tanh(xs[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h @ Wo + bo
