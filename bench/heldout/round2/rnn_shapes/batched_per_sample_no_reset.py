"""batched_forward loops over samples with one h created before the loop: it is never reset."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"unreset_state", "first_sample_only"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    out = []
    for x in X:
        for x_t in x:
            h = np.tanh(x_t @ Wx + h @ Wh + bh)
        out.append(h @ Wo + bo)
    return np.array(out)
