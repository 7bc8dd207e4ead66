"""gru_count_params always counts a single 3M bias, ignoring that reset_after=True (the default) gives a (2, 3M) bias."""

QUESTION = "gru_count_params"
# count_off says 3·M too few (a term missing): the second bias row
ACCEPT = {"gru_count_one_bias", "count_off"}


def gru_count_params(D, M, K, reset_after=True):
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
