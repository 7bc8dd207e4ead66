"""count_params leaves out the recurrent kernel's M*M weights, counting the SimpleRNN like a Dense layer from D inputs to M units."""

QUESTION = "count_params"
# no entry; count_off says the count is M·M too few: a term missing
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    # each layer: (inputs + 1 bias) * units
    rnn_params = (D + 1) * M
    dense_params = (M + 1) * K
    total = rnn_params + dense_params
    return int(total)
