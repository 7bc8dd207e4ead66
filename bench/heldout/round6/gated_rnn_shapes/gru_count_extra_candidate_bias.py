"""gru_count_params adds only M extra biases for reset_after=True (a recurrent bias for the candidate alone) instead of 3M."""

QUESTION = "gru_count_params"
# 2·M too few with reset_after=True; gru_count_one_bias is 3·M too few
ACCEPT = {"count_off"}


def gru_count_params(D, M, K, reset_after=True):
    total = 3 * (D * M + M * M + M)
    if reset_after:
        # reset_after only changes the candidate, which gets its own recurrent bias
        total += M
    total += M * K + K
    return int(total)
