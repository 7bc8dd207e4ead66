"""lstm_count_params counts the LSTM bias once, M, instead of once per gate, 4M."""

QUESTION = "lstm_count_params"
# count_off as '3·M too few': the bias counted M instead of 4M
ACCEPT = {"lstm_count_one_bias", "count_off"}


def lstm_count_params(D, M, K):
    # four gates, each with input and recurrent weights, plus the bias
    lstm = 4 * (D * M + M * M) + M
    dense = M * K + K
    return int(lstm + dense)
