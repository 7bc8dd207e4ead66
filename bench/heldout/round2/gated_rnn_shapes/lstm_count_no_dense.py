"""lstm_count_params counts the LSTM only, not the Dense layer."""
QUESTION = "lstm_count_params"
ACCEPT = {"count_off"}


def lstm_count_params(D, M, K):
    return 4 * (D * M + M * M + M)
