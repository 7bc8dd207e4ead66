"""gru_count_params has the reset_after condition the wrong way round: two bias rows when it is False."""
QUESTION = "gru_count_params"
ACCEPT = {"gru_count_layouts_swapped"}


def gru_count_params(D, M, K, reset_after=True):
    bias = 3 * M if reset_after else 2 * 3 * M
    gru = 3 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)
