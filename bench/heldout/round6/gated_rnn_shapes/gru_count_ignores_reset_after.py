"""gru_count_params ignores reset_after and always counts a single 3M bias (wrong for Keras' default reset_after=True)."""

QUESTION = "gru_count_params"
# one bias row always (the entry gru_count_ignores_reset_after counts two rows always); count_off as '3·M too few'
ACCEPT = {"gru_count_one_bias", "count_off"}


def gru_count_params(D, M, K, reset_after=True):
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
