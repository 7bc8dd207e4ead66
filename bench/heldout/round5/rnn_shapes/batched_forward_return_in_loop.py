"""batched_forward loops over the samples but its return is indented inside the sample loop, so it returns after the first sample with shape (1, K)."""
import numpy as np

QUESTION = "batched_forward"
# the first sample's answer, (1, K): right only where N = 1; first_sample_only would ask about a carried state
ACCEPT = {"one_sample_only", "right_where_size_one", "right_where_sizes"}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N = X.shape[0]
    M = Wh.shape[0]
    outputs = []
    for n in range(N):
        h = np.zeros(M)
        for x_t in X[n]:
            h = np.tanh(x_t @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
        return np.array(outputs)
