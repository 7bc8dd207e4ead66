"""sequence_forward updates the hidden state in place (h[:] = ...) and appends h itself to a list, so every stored state is the same array and every step's output equals the last step's."""
import numpy as np

QUESTION = "sequence_forward"
# every stored state is the final one: right at the last step only
ACCEPT = {"last_step_only"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    states = []
    for t in range(T):
        h[:] = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    H = np.stack(states, axis=1)  # (N, T, M)
    return H @ Wo + bo
