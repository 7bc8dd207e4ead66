"""gru_count_params always counts a 3M bias and ignores reset_after, so it is wrong for reset_after=True (the default), where the bias is (2, 3M)."""

QUESTION = "gru_count_params"
# one bias row always (the entry gru_count_ignores_reset_after counts two rows always); count_off as '3·M too few'
ACCEPT = {"gru_count_one_bias", "count_off"}


def gru_count_params(D, M, K, reset_after=True):
    # three gates (z, r, h), each like a SimpleRNN
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
