"""hidden_gradients stores the gradient after the tanh derivative (dL/da_t)."""
import numpy as np

QUESTION = "hidden_gradients"
ACCEPT = {"hidden_preactivation"}
PUBLIC = ("pre-activation",)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    out = np.zeros((N, T, Wh.shape[0]))
    for t in range(T, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        out[:, t - 1] = da
        dh = da @ Wh.T
    return out
