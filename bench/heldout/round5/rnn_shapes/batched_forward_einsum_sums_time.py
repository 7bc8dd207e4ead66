"""batched_forward precomputes the input projections with np.einsum('ntd,dm->nm'), which sums over the time axis, and adds that same sum at every step."""
import numpy as np

QUESTION = "batched_forward"
# right only where T = 1 (the time sum is one step); no entry sums the inputs over time
ACCEPT = {'inputs_summed_over_time', 'right_where_size_one', 'right_where_sizes'}


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    xw = np.einsum("ntd,dm->nm", X, Wx)  # input projection for all steps at once
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(xw + h @ Wh + bh)
    return h @ Wo + bo
