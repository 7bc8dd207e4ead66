"""lstm_count_params multiplies the input kernel and bias by the 4 gates but counts the recurrent kernel once, M*M instead of M*4M."""

QUESTION = "lstm_count_params"
# 3·M·M too few; lstm_count_no_recurrent leaves it out entirely
ACCEPT = {"count_off"}


def lstm_count_params(D, M, K):
    n_gates = 4
    lstm = n_gates * D * M + M * M + n_gates * M
    dense = (M + 1) * K
    return int(lstm + dense)
