"""lstm_count_params counts an input and a recurrent bias per gate, as PyTorch has."""
QUESTION = "lstm_count_params"
ACCEPT = {"lstm_count_two_biases"}
PUBLIC = ("counted twice",)


def lstm_count_params(D, M, K):
    return 4 * (D * M + M * M + 2 * M) + M * K + K
