"""lstm_count_params counts the recurrent kernel as (D, 4M)."""
QUESTION = "lstm_count_params"
ACCEPT = {"count_off"}


def lstm_count_params(D, M, K):
    return 4 * (D * M + D * M + M) + M * K + K
