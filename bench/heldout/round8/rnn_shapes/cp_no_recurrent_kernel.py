"""count_params leaves out the SimpleRNN's recurrent kernel (M*M), counting the RNN layer like a Dense layer from D inputs to M units."""

QUESTION = "count_params"
ACCEPT = None  # set later, by someone else, before grading


def count_params(T, D, M, K):
    # each layer has (inputs + 1) * units parameters
    return (D + 1) * M + (M + 1) * K
