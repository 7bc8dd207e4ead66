"""gru_count_params always counts a 3M bias and ignores reset_after, so it is wrong for reset_after=True (the default), where the bias is (2, 3M)."""

QUESTION = "gru_count_params"
ACCEPT = None  # set later, by someone else, before grading


def gru_count_params(D, M, K, reset_after=True):
    # three gates (z, r, h), each like a SimpleRNN
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
