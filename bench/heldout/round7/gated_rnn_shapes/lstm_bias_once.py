"""lstm_count_params multiplies only the kernels by the four gates and counts the LSTM bias once, M instead of 4M."""

QUESTION = "lstm_count_params"
# count_off as '3·M too few': the bias counted M instead of 4M
ACCEPT = {"lstm_count_one_bias", "count_off"}


def lstm_count_params(D, M, K):
    kernel = D * 4 * M
    recurrent_kernel = M * 4 * M
    bias = M
    dense = M * K + K
    return int(kernel + recurrent_kernel + bias + dense)
