"""sequence_forward records each step's output before updating the hidden state, so the outputs are those of h_0 .. h_{T-1}, shifted one step late."""
import numpy as np

QUESTION = "sequence_forward"
# no concept; the finding says the outputs are one step late
ACCEPT = {"one_step_early"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    K = Wo.shape[1]
    out = np.zeros((N, T, K))
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        out[:, t, :] = h @ Wo + bo
        h = np.tanh(X[:, t, :] @ Wx + h @ Wh + bh)
    return out
