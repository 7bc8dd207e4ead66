"""gru_count_params counts the GRU only, both layouts right."""
QUESTION = "gru_count_params"
ACCEPT = {"count_off"}


def gru_count_params(D, M, K, reset_after=True):
    return 3 * (D * M + M * M) + (6 * M if reset_after else 3 * M)
