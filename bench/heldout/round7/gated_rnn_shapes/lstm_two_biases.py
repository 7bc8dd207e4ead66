"""lstm_count_params counts two biases per gate (PyTorch's bias_ih and bias_hh), 8M, whereas Keras' LSTM has one bias of 4M."""

QUESTION = "lstm_count_params"
# count_off says 4·M too many: a term (the 4M bias) counted too often
ACCEPT = {"lstm_count_two_biases", "count_off"}


def lstm_count_params(D, M, K):
    n_gates = 4
    per_gate = D * M + M * M + M + M  # W_ih, W_hh, b_ih, b_hh
    return int(n_gates * per_gate + (M * K + K))
