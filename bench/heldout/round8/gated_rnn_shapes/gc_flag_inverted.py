"""gru_count_params has the two bias sizes swapped: 3M when reset_after is True and 6M when it is False."""

QUESTION = "gru_count_params"
ACCEPT = {"gru_count_layouts_swapped"}


def gru_count_params(D, M, K, reset_after=True):
    weights = 3 * D * M + 3 * M * M
    if reset_after:
        biases = 3 * M
    else:
        biases = 2 * 3 * M
    return int(weights + biases + M * K + K)
