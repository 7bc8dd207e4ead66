"""count_params counts the recurrent kernel as D x M, like the input kernel, instead of M x M."""
QUESTION = "count_params"
ACCEPT = {"count_recurrent_as_DM", "count_off"}


def count_params(T, D, M, K):
    rnn = D * M + D * M + M
    dense = M * K + K
    return int(rnn + dense)
