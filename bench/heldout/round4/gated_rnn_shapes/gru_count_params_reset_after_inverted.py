"""gru_count_params has the reset_after test inverted: it counts a bias of 6M for reset_after=False and 3M for reset_after=True."""

QUESTION = "gru_count_params"
ACCEPT = {"gru_count_layouts_swapped"}


def gru_count_params(D, M, K, reset_after=True):
    if not reset_after:
        bias = 2 * 3 * M
    else:
        bias = 3 * M
    kernels = 3 * D * M + 3 * M * M
    dense = M * K + K
    return int(kernels + bias + dense)
