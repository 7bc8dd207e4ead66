"""gru_count_params always counts a single 3M bias, ignoring that reset_after=True (the default) gives a (2, 3M) bias."""

QUESTION = "gru_count_params"
ACCEPT = None  # set later, by someone else, before grading


def gru_count_params(D, M, K, reset_after=True):
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
