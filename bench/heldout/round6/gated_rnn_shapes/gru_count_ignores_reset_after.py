"""gru_count_params ignores reset_after and always counts a single 3M bias (wrong for Keras' default reset_after=True)."""

QUESTION = "gru_count_params"
ACCEPT = None  # set later, by someone else, before grading


def gru_count_params(D, M, K, reset_after=True):
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
