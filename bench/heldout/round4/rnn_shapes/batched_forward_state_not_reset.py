"""batched_forward loops over the samples but initialises h once before the loop, so each sample after the first starts from the previous sample's final state instead of zeros."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"unreset_state", "first_sample_only"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N = X.shape[0]
    h = np.zeros(Wh.shape[0])
    outputs = []
    for n in range(N):
        for x_t in X[n]:
            h = np.tanh(x_t @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.array(outputs)
