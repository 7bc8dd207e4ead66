"""gru_count_params always counts the reset_after=True layout."""
QUESTION = "gru_count_params"
ACCEPT = {"gru_count_ignores_reset_after"}
PUBLIC = ("not used",)


def gru_count_params(D, M, K, reset_after=True):
    return 3 * (D * M + M * M + 2 * M) + M * K + K
