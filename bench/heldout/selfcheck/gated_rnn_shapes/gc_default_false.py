"""gru_count_params defaults to reset_after=False (the TF1 default)."""
QUESTION = "gru_count_params"
ACCEPT = {"wrong_default"}
PUBLIC = ("default",)


def gru_count_params(D, M, K, reset_after=False):
    biases = 2 * M if reset_after else M
    return 3 * (D * M + M * M + biases) + M * K + K
