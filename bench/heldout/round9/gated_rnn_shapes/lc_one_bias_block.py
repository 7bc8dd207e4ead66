"""lstm_count_params counts one bias of M for the whole LSTM instead of one per gate (4M)."""

QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_one_bias"}
PUBLIC = ("bias",)


def lstm_count_params(D, M, K):
    return 4 * (D * M + M * M) + M + M * K + K
