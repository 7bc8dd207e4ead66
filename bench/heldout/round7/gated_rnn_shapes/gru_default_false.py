"""gru_count_params declares reset_after=False as the default instead of Keras' True, so calls that leave reset_after out count a (3M,) bias instead of (2, 3M)."""

QUESTION = "gru_count_params"
# no entry; count_off (3·M too few for every size, a term missing?) does not point at the default of reset_after
ACCEPT = {"wrong_default"}


def gru_count_params(D, M, K, reset_after=False):
    if reset_after:
        bias = 2 * 3 * M
    else:
        bias = 3 * M
    return int(3 * D * M + 3 * M * M + bias + M * K + K)
