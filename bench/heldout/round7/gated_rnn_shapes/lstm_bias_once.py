"""lstm_count_params multiplies only the kernels by the four gates and counts the LSTM bias once, M instead of 4M."""

QUESTION = "lstm_count_params"
ACCEPT = None  # set later, by someone else, before grading


def lstm_count_params(D, M, K):
    kernel = D * 4 * M
    recurrent_kernel = M * 4 * M
    bias = M
    dense = M * K + K
    return int(kernel + recurrent_kernel + bias + dense)
