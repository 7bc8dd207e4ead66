"""gru_count_params always counts the two bias rows of reset_after=True."""

QUESTION = "gru_count_params"
ACCEPT = {"gru_count_ignores_reset_after"}
PUBLIC = ("reset_after",)


def gru_count_params(D, M, K, reset_after=True):
    return 3 * (D * M + M * M) + 2 * 3 * M + M * K + K
