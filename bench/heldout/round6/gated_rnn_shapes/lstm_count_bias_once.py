"""lstm_count_params multiplies the kernels by the 4 gates but counts the LSTM bias only once (M instead of 4M)."""

QUESTION = "lstm_count_params"
# 3·M too few
ACCEPT = {"lstm_count_one_bias", "count_off"}


def lstm_count_params(D, M, K):
    kernel = 4 * D * M
    recurrent_kernel = 4 * M * M
    bias = M
    dense = M * K + K
    return int(kernel + recurrent_kernel + bias + dense)
