"""lstm_count_params gives every gate two biases (input and recurrent, as PyTorch's nn.LSTM has), counting 8M bias parameters instead of Keras' 4M."""

QUESTION = "lstm_count_params"
# count_off says 4·M too many: a term (the 4M bias) counted too often
ACCEPT = {"lstm_count_two_biases", "count_off"}


def lstm_count_params(D, M, K):
    return 4 * M * (D + M + 2) + K * (M + 1)
