"""manual_forward updates the state with h += tanh(...), adding each step's activation to the old state instead of replacing it."""
import numpy as np

QUESTION = "manual_forward"
# right where T = 1, then the state carries wrongly; no entry adds to the old state
ACCEPT = {'first_step_only', 'right_where_size_one', 'right_where_sizes', 'state_accumulates'}


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for t in range(len(X)):
        h += np.tanh(np.dot(X[t], Wx) + np.dot(h, Wh) + bh)
    out = np.dot(h, Wo) + bo
    return out
