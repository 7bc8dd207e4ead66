"""hidden_gradients multiplies by Wh instead of Wh.T going back."""
import numpy as np

QUESTION = "hidden_gradients"
ACCEPT = {"Wh_not_transposed"}
PUBLIC = ("transposed",)
PUBLIC_TRUE = ("right at the last step only",)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    out = np.zeros((N, T, Wh.shape[0]))
    for t in range(T, 0, -1):
        out[:, t - 1] = dh
        dh = (dh * (1 - hs[t] ** 2)) @ Wh
    return out
