"""gru_count_params adds only M extra bias for reset_after=True (one recurrent bias for the candidate alone), 4M instead of 6M."""

QUESTION = "gru_count_params"
# 2·M too few with reset_after=True; gru_count_one_bias is 3·M too few
ACCEPT = {"count_off"}


def gru_count_params(D, M, K, reset_after=True):
    gru = 3 * (D * M + M * M + M)
    if reset_after:
        # the candidate gets its own bias inside r * (h U_h + b_h)
        gru += M
    dense = M * K + K
    return int(gru + dense)
