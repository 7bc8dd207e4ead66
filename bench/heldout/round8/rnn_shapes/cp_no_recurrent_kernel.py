"""count_params leaves out the SimpleRNN's recurrent kernel (M*M), counting the RNN layer like a Dense layer from D inputs to M units."""

QUESTION = "count_params"
# no entry; count_off says the count is M·M too few: a term missing
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    # each layer has (inputs + 1) * units parameters
    return (D + 1) * M + (M + 1) * K
