"""lstm_count_params uses 3 weight blocks (as for a GRU) instead of the LSTM's 4."""

QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_three_gates", "count_off"}


def lstm_count_params(D, M, K):
    n_gates = 3  # input, forget, output
    lstm = n_gates * (D * M + M * M + M)
    dense = M * K + K
    return lstm + dense
