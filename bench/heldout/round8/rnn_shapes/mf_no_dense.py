"""manual_forward returns the last hidden state h_T of shape (M,) and never applies the Dense layer (Wo, bo)."""
import numpy as np

QUESTION = "manual_forward"
ACCEPT = {"hidden_states"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    T, D = X.shape
    M = Wh.shape[0]
    h = np.zeros(M)
    for t in range(T):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    return h
