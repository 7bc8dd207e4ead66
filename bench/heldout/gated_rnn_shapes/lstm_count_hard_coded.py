"""lstm_count_params returns the notebook example's count."""
QUESTION = "lstm_count_params"
ACCEPT = set()


def lstm_count_params(D, M, K):
    return 138
