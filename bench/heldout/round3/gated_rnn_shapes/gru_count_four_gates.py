"""gru_count_params copies the LSTM's four gate blocks instead of the GRU's three."""
QUESTION = "gru_count_params"
ACCEPT = {"gru_count_four_gates"}


def gru_count_params(D, M, K, reset_after=True):
    bias = 2 * 4 * M if reset_after else 4 * M
    gru = 4 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)
