"""lstm_count_params counts three gate blocks (forgets the candidate block): 3 * (D*M + M*M + M)."""
QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_three_gates"}


def lstm_count_params(D, M, K):
    lstm = 3 * (D * M + M * M + M)
    dense = M * K + K
    return int(lstm + dense)
