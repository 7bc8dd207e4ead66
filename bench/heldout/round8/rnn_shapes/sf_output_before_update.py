"""sequence_forward stores the output at step t before updating h, so its outputs are those of h_0..h_{T-1}, one step late (the first from the zero state, the last step's missing)."""
import numpy as np

QUESTION = "sequence_forward"
# no concept; the finding says the outputs are one step late
ACCEPT = {"one_step_early"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M, K = Wo.shape
    Y = np.zeros((N, T, K))
    h = np.zeros((N, M))
    for t in range(T):
        Y[:, t, :] = h @ Wo + bo
        h = np.tanh(X[:, t, :] @ Wx + h @ Wh + bh)
    return Y
