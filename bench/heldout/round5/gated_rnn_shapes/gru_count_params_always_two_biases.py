"""gru_count_params always counts two bias vectors (6M), as PyTorch's GRU has, so it is wrong for reset_after=False."""

QUESTION = "gru_count_params"
# count_off as '3·M too many' on the reset_after=False checks
ACCEPT = {"gru_count_ignores_reset_after", "count_off"}


def gru_count_params(D, M, K, reset_after=True):
    weights = 3 * M * (D + M)
    biases = 2 * 3 * M  # input bias and recurrent bias
    dense = M * K + K
    return int(weights + biases + dense)
