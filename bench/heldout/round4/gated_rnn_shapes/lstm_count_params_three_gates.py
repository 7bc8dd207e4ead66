"""lstm_count_params counts only the three gates i, f, o (3 blocks) and forgets the candidate block, instead of 4 blocks."""

QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_three_gates", "count_off"}


def lstm_count_params(D, M, K):
    n_gates = 3  # input, forget and output gates
    lstm = n_gates * (D * M + M * M + M)
    dense = M * K + K
    return int(lstm + dense)
