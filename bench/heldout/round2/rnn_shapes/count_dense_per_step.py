"""count_params counts the Dense layer once per time step."""
QUESTION = "count_params"
ACCEPT = {"count_with_T"}


def count_params(T, D, M, K):
    return D * M + M * M + M + T * (M * K + K)
