"""count_params counts the Dense bias once per hidden unit: M·K instead of K."""
QUESTION = "count_params"
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    return D * M + M * M + M + M * K + M * K
