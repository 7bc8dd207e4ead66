"""count_params leaves out the recurrent kernel (the M*M hidden-to-hidden weights)."""

QUESTION = "count_params"
ACCEPT = None  # set later, by someone else, before grading


def count_params(T, D, M, K):
    rnn = (D + 1) * M      # kernel + bias
    dense = (M + 1) * K    # kernel + bias
    return rnn + dense
