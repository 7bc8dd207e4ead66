"""gru_count_params declares reset_after=False as its default (the old Keras 2.2 / TF1 default) instead of True, so only calls that leave reset_after out are wrong."""

QUESTION = "gru_count_params"
ACCEPT = None  # set later, by someone else, before grading


def gru_count_params(D, M, K, reset_after=False):
    if reset_after:
        bias = 2 * 3 * M
    else:
        bias = 3 * M
    gru = 3 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)
