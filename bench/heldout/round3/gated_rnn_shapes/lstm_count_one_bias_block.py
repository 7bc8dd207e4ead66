"""lstm_count_params counts the kernels per gate but a single bias of M, not 4M."""
QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_one_bias", "count_off"}


def lstm_count_params(D, M, K):
    lstm = 4 * (D * M + M * M) + M
    dense = M * K + K
    return int(lstm + dense)
