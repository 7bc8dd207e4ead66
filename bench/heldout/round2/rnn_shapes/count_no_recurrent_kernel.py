"""count_params leaves out the recurrent kernel."""
QUESTION = "count_params"
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    return D * M + M + M * K + K
