"""manual_forward never carries the new hidden state into the next step (h_last stays zero), so the output depends only on the last input."""
import numpy as np

QUESTION = "manual_forward"
# h_last stays 0: same outputs as no recurrent term, whose title says each step forgets the previous state
ACCEPT = {"no_recurrent"}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    T = X.shape[0]
    M = Wh.shape[0]
    h_last = np.zeros(M)  # initial hidden state
    for t in range(T):
        h = np.tanh(X[t].dot(Wx) + h_last.dot(Wh) + bh)
    y = h.dot(Wo) + bo
    return y
