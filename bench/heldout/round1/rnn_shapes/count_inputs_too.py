"""count_params counts the inputs T·D as parameters."""
QUESTION = "count_params"
ACCEPT = {"count_with_T"}


def count_params(T, D, M, K):
    return T * D + D * M + M * M + M + M * K + K
