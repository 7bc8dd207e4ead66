"""manual_forward computes h from h_last at each step but never assigns h to h_last, so every step uses the zero initial state."""
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
        y = h.dot(Wo) + bo  # we only care about the last one
    return y
