"""lstm_count_params returns the notebook example's count."""
QUESTION = "lstm_count_params"
ACCEPT = {"count_constant"}  # set once the concepts had been tuned on this file


def lstm_count_params(D, M, K):
    return 138
