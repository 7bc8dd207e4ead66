"""lstm_count_params leaves out the LSTM's bias: 4 * (D*M + M*M) with no 4M bias term."""

QUESTION = "lstm_count_params"
# 4·M too few; lstm_count_one_bias counts M, another mistake
ACCEPT = {"count_off"}


def lstm_count_params(D, M, K):
    kernel = D * 4 * M
    recurrent_kernel = M * 4 * M
    dense = M * K + K
    return int(kernel + recurrent_kernel + dense)
