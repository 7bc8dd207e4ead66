"""gru_count_params ignores reset_after and always counts one bias of 3M, so it is wrong for reset_after=True (Keras' default, bias (2, 3M))."""

QUESTION = "gru_count_params"
# one bias row always (gru_count_ignores_reset_after is two rows always); count_off as '3·M too few'
ACCEPT = {"gru_count_one_bias", "count_off"}


def gru_count_params(D, M, K, reset_after=True):
    gru = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(gru + dense)
