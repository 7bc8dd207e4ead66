"""lstm_count_params counts two biases per gate (PyTorch's b_ih and b_hh, 8M in all) instead of Keras' single bias of 4M."""

QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_two_biases", "count_off"}


def lstm_count_params(D, M, K):
    per_gate = D * M + M * M + 2 * M
    lstm = 4 * per_gate
    dense = M * K + K
    return int(lstm + dense)
