"""lstm_count_params counts the Dense bias once per hidden unit."""
QUESTION = "lstm_count_params"
ACCEPT = {"count_off"}


def lstm_count_params(D, M, K):
    return 4 * (D * M + M * M + M) + M * K + M * K
