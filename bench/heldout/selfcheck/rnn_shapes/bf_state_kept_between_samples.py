"""batched_forward loops over the samples and keeps h from one sample to the next."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"unreset_state", "first_sample_only"}
PUBLIC = ("not reset", "previous one", "carry over")


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    out = []
    h = np.zeros(Wh.shape[0])
    for sample in X:
        for x_t in sample:
            h = np.tanh(x_t @ Wx + h @ Wh + bh)
        out.append(h @ Wo + bo)
    return np.array(out)
