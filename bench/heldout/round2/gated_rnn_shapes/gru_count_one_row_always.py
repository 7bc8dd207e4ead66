"""gru_count_params counts one bias row whatever reset_after says."""
QUESTION = "gru_count_params"
ACCEPT = {"gru_count_one_bias"}


def gru_count_params(D, M, K, reset_after=True):
    return 3 * (D * M + M * M + M) + M * K + K
