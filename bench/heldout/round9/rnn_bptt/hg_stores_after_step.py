"""hidden_gradients stores dh after carrying it back one step (one step late)."""
import numpy as np

QUESTION = "hidden_gradients"
ACCEPT = {"hidden_one_step_late"}
PUBLIC = ("one step", "h_{t-1}", "late")


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    out = np.zeros((N, T, Wh.shape[0]))
    for t in range(T, 0, -1):
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
        out[:, t - 1] = dh
    return out
