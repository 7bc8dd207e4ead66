"""gru_count_params has the reset_after condition backwards: two bias rows when reset_after=False, one when True."""

QUESTION = "gru_count_params"
ACCEPT = {"gru_count_layouts_swapped"}


def gru_count_params(D, M, K, reset_after=True):
    weights = 3 * D * M + 3 * M * M
    if reset_after:
        biases = 3 * M
    else:
        biases = 2 * 3 * M
    dense = M * K + K
    return int(weights + biases + dense)
