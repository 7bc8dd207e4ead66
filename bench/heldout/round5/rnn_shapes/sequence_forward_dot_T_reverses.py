"""sequence_forward builds the time-major (T, N, K) outputs and makes them batch-major with .T, which reverses all three axes: (K, N, T)."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = None  # set later, by someone else, before grading


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
