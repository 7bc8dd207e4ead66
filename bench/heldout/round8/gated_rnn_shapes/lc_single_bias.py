"""lstm_count_params counts the LSTM bias once, M, instead of once per gate, 4M."""

QUESTION = "lstm_count_params"
ACCEPT = None  # set later, by someone else, before grading


def lstm_count_params(D, M, K):
    # four gates, each with input and recurrent weights, plus the bias
    lstm = 4 * (D * M + M * M) + M
    dense = M * K + K
    return int(lstm + dense)
