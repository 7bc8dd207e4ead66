"""count_params counts one recurrent weight per unit (M) instead of M·M."""
QUESTION = "count_params"
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    return D * M + M + M + M * K + K
