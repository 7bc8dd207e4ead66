"""lstm_count_params counts two bias vectors per gate (PyTorch's b_ih and b_hh), i.e. 8M biases instead of 4M."""

QUESTION = "lstm_count_params"
# 4·M too many
ACCEPT = {"lstm_count_two_biases", "count_off"}


def lstm_count_params(D, M, K):
    weight_ih = 4 * M * D
    weight_hh = 4 * M * M
    bias_ih = 4 * M
    bias_hh = 4 * M
    lstm = weight_ih + weight_hh + bias_ih + bias_hh
    dense = K * M + K
    return int(lstm + dense)
