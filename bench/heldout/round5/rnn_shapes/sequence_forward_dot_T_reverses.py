"""sequence_forward builds the time-major (T, N, K) outputs and makes them batch-major with .T, which reverses all three axes: (K, N, T)."""
import numpy as np

QUESTION = "sequence_forward"
# (K, N, T): time_major names (T, N, K), not this
ACCEPT = {"axes_order", "values_rearranged"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    states = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    H = np.stack(states)          # (T, N, M)
    Y = H @ Wo + bo               # (T, N, K)
    return Y.T                    # to (N, T, K)
