"""gru_count_params ignores reset_after and always counts one bias of 3M, so it is wrong for reset_after=True (Keras' default, bias (2, 3M))."""

QUESTION = "gru_count_params"
ACCEPT = None  # set later, by someone else, before grading


def gru_count_params(D, M, K, reset_after=True):
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
