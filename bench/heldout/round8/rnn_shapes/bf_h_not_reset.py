"""batched_forward loops over the samples but sets h_last to zeros only once, before the loop, so every sample after the first starts from the previous sample's final state."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"unreset_state", "first_sample_only"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    M = Wh.shape[0]
    h_last = np.zeros(M)  # initial hidden state
    Yhats = []
    for i in range(N):
        x = X[i]
        for t in range(T):
            h = np.tanh(x[t].dot(Wx) + h_last.dot(Wh) + bh)
            y = h.dot(Wo) + bo
            h_last = h
        Yhats.append(y)
    return np.array(Yhats)
