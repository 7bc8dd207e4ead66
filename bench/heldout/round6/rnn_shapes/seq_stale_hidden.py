"""sequence_forward records the output before updating h, so step t's output comes from h_{t-1} (the first is from h_0 = 0)."""
import numpy as np

QUESTION = "sequence_forward"
# no entry for outputs one step late
ACCEPT = {"one_step_early"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    M = Wh.shape[0]
    K = Wo.shape[1]
    Y = np.zeros((N, T, K))
    h = np.zeros((N, M))
    for t in range(T):
        Y[:, t, :] = h @ Wo + bo
        h = np.tanh(X[:, t, :] @ Wx + h @ Wh + bh)
    return Y
