"""gru_count_params declares reset_after=False as its default (the old Keras 2.2 / TF1 default) instead of True, so only calls that leave reset_after out are wrong."""

QUESTION = "gru_count_params"
# no entry; count_off (3·M too few on the failing checks, a term missing?) does not point at the default of reset_after
ACCEPT = {"wrong_default"}


def gru_count_params(D, M, K, reset_after=False):
    if reset_after:
        bias = 2 * 3 * M
    else:
        bias = 3 * M
    gru = 3 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)
