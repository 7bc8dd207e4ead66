"""lstm_count_params gives every gate two biases (input and recurrent, as PyTorch's nn.LSTM has), counting 8M bias parameters instead of Keras' 4M."""

QUESTION = "lstm_count_params"
ACCEPT = None  # set later, by someone else, before grading


def lstm_count_params(D, M, K):
    return 4 * M * (D + M + 2) + K * (M + 1)
