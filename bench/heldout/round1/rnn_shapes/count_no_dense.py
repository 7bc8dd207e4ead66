"""count_params counts the SimpleRNN only."""
QUESTION = "count_params"
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    return D * M + M * M + M
