"""lstm_count_params counts three gates."""
QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_three_gates"}
PUBLIC = ("three blocks",)


def lstm_count_params(D, M, K):
    return 3 * (D * M + M * M + M) + M * K + K
